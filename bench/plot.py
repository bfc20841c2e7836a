"""docs/benchmarks.png: the latency percentiles of scenarios (a), (c), (d) and (e)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench.servers import KINDS, NAMES


def plot(results: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, 2, figsize=(12, 8.5))
    ax = axes[0][0]
    for kind in KINDS:
        # by rate, not in the order run (the climb, then the bisection steps)
        steps = sorted(
            results.get("a", {}).get(kind, {}).get("steps", []), key=lambda s: s["achieved"]
        )
        if steps:
            xs = [s["achieved"] for s in steps]
            (line,) = ax.plot(
                xs, [s["latency"]["p99"] for s in steps], "o-", label=f"{NAMES[kind]} p99"
            )
            ax.plot(
                xs,
                [s["latency"]["p50"] for s in steps],
                "x--",
                color=line.get_color(),
                label=f"{NAMES[kind]} p50",
            )
    ax.axhline(100, color="grey", lw=0.8, ls=":")
    ax.set(
        title="(a) conversations: send→receive latency",
        xlabel="comments/s achieved",
        ylabel="ms",
        xscale="log",
        yscale="log",
    )
    ax.legend(fontsize=7)

    def bars(ax: Any, title: str, groups: dict[str, dict[str, float]], target: float) -> None:
        labels = list(groups)
        for i, q in enumerate(("p50", "p90", "p99")):
            ax.bar(
                [j + i * 0.27 for j in range(len(labels))],
                [groups[k].get(q, 0) or 0 for k in labels],
                0.27,
                label=q,
            )
        ax.set_xticks([j + 0.27 for j in range(len(labels))], labels, fontsize=8)
        ax.axhline(target, color="grey", lw=0.8, ls=":")
        ax.set(title=title, ylabel="ms", yscale="log")
        ax.legend(fontsize=7)

    c = results.get("c", {})
    bars(
        axes[0][1],
        "(c) fan-out to 1,000 watchers: until the last one",
        {NAMES[k]: c[k]["last"] for k in KINDS if k in c},
        150,
    )
    d = results.get("d", {}).get("hub", {})
    bars(
        axes[1][0],
        "(d) call set-up (invite → ICE connected)",
        {
            "1 call": d.get("one", {}),
            f"{d.get('parallel_n')} at once": d.get("parallel", {}),
            "at once, PostgreSQL": d.get("parallel_pg", {}).get("parallel", {}),
        },
        250,
    )
    e = results.get("e", {})
    groups = {}
    for key, label in (("one", "1 process"), ("two", "2 processes")):
        best = (e.get(key) or {}).get("best")
        if best:
            groups[f"{label}\n{best['achieved']:g}/s"] = best["latency"]
    bars(axes[1][1], "(e) PostgreSQL + Redis, 1 and 2 processes at one rate", groups, 100)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
