"""``asinan-hub serve | migrate | demo | admin … | audit verify``."""

from __future__ import annotations

import argparse
import asyncio
import sys

from hub.settings import Settings, SettingsError


def _migrate(settings: Settings) -> None:
    from hub.accounts.cli import load_reference_data
    from hub.migrate import upgrade_sync

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    upgrade_sync(settings.database_url)
    asyncio.run(load_reference_data(settings))
    sys.stdout.write("database migrated; reference data (offices, services) loaded\n")


async def _demo(settings: Settings) -> None:
    from hub.accounts.nik import NikVault
    from hub.audit.projections import subscribe as audit
    from hub.context import Hub
    from hub.ikm.projections import subscribe as survey_offer
    from hub.intake.gate import subscribe as documents
    from hub.letters.projections import subscribe as letters
    from hub.seed import load_demo
    from hub.uow import QuietPublisher
    from notifications.projections import subscribe as notifications

    hub = Hub(settings, QuietPublisher())  # nobody is connected while the demo loads
    # The demo's status changes notify their applicants and issue letters as live ones
    # do; no dashboard watches while it loads, so the queue board's projection is not needed.
    notifications(hub)
    letters(hub)
    documents(hub)
    audit(hub)
    survey_offer(hub)
    config = settings.accounts
    try:
        async with hub.unit() as unit:
            logins = await load_demo(unit, NikVault(config.nik_encryption_key, config.nik_hash_key))
    finally:
        await hub.close()
    out = sys.stdout
    out.write("\nDemo Kota Bogor — akun masuk / logins:\n")
    out.write(f"  {'peran/role':<14} {'login':<22} {'kata sandi/password':<20} kantor/office\n")
    for item in logins:
        out.write(f"  {item.role:<14} {item.login:<22} {item.password:<20} {item.office}\n")
    out.write("Warga masuk dengan nomor HP / citizens log in with their phone number.\n\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="asinan-hub")
    sub = parser.add_subparsers(dest="command", required=True)
    from hub.settings_help import settings_epilog

    sub.add_parser(
        "serve",
        help="serve the hub (uvicorn)",
        description="Serve the hub (uvicorn); settings come from the environment.",
        epilog=settings_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub.add_parser("migrate", help="bring the database schema up to date")
    sub.add_parser("demo", help="load the Kota Bogor demo data and print the logins")
    from hub.accounts.cli import add_commands
    from hub.audit.cli import add_commands as add_audit_commands

    add_commands(sub)
    add_audit_commands(sub)
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        sys.stderr.write(f"configuration error: {exc}\n")
        return 2
    if args.command == "migrate":
        _migrate(settings)
    elif args.command == "demo":
        asyncio.run(_demo(settings))
    elif args.command == "admin":
        from hub.accounts.cli import run

        return asyncio.run(run(args, settings, sys.stdout, sys.stderr))
    elif args.command == "audit":
        from hub.audit.cli import run as run_audit

        return asyncio.run(run_audit(args, settings, sys.stdout, sys.stderr))
    else:
        import uvicorn

        from hub.app import create_app, tune_process
        from hub.logs import configure
        from hub.realtime.lean import WS_PROTOCOL

        configure(settings.log_level, settings.log_format)
        app = create_app(settings)
        tune_process()
        sys.stdout.write(f"asinan-hub on http://{settings.host}:{settings.port}\n")
        uvicorn.run(
            app,
            host=settings.host,
            port=settings.port,
            log_config=None,
            # access lines would carry query strings (receipt access codes): not logged
            access_log=False,
            proxy_headers=True,
            ws=WS_PROTOCOL,  # uvicorn's websockets-sansio, lighter per idle socket
            # engine.io's own heartbeat (20 s) finds dead peers; a second, websocket-level
            # ping timer per socket would only cost CPU on every idle connection
            ws_ping_interval=None,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
