"""Chat use cases for the ``/tickets`` namespace and the attachment routes.

Each opens its own transaction (or read): ``actions.x(hub, principal, ...)`` → one
``hub.unit()`` or ``hub.reader()`` → :mod:`chat.service` → a view. Handlers and routes
parse and answer; they never hold a session. Comments are posted through
:class:`CommentPoster` (group commit), which also settles unique-constraint races.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.exc import IntegrityError

from chat import attachments, posting, service, worklist
from hub.batching import Batcher
from hub.context import Hub
from hub.principal import Principal
from hub.tickets.worklist import WorkFilter
from hub.timeline import event_view


class CommentPoster:
    """Group commit of comments: those that arrive while one batch commits go in the next.

    One per process (the ``/tickets`` namespace holds it; the app's lifespan closes it).
    """

    def __init__(self, hub: Hub) -> None:
        self.hub = hub
        self.batcher: Batcher[posting.NewComment, posting.Posted] = Batcher(
            self._store, observe=hub.metrics.observer("comments")
        )

    async def close(self) -> None:
        await self.batcher.close()

    async def send(self, comment: posting.NewComment) -> tuple[dict[str, Any], bool]:
        """The stored comment's view and whether it was stored just now (False: a resend).

        Idempotent per ``client_id``: when the same ``client_id`` races itself on another
        connection or process, the one that lost the race gets the winner's event.
        """
        try:
            ev, created = await self.batcher.submit(comment)
            return event_view(ev), created
        except IntegrityError:
            p = comment.principal
            async with self.hub.reader() as session:
                existing = await service.find_comment(
                    session, p, comment.ticket_id, comment.client_id
                )
            if existing is None:
                raise
            return event_view(existing), False

    async def _store(
        self, comments: list[posting.NewComment]
    ) -> list[posting.Posted | BaseException]:
        """One transaction for the batch; if it fails on a constraint, one per comment."""
        hub = self.hub
        try:
            async with hub.unit() as unit:
                return [*await posting.post_comments(unit, hub.limiter, comments, hub.comment_rule)]
        except IntegrityError:
            if len(comments) == 1:
                raise
        # A client_id raced itself on another connection or process: settle each alone,
        # so only that comment sees the conflict.
        results: list[posting.Posted | BaseException] = []
        for comment in comments:
            try:
                results.extend(await self._store([comment]))
            except Exception as exc:
                results.append(exc)
        return results


async def check_join(hub: Hub, p: Principal, ticket_id: int, after_seq: int | None) -> None:
    """May ``p`` watch this ticket, and can ``after_seq`` be replayed in full?"""
    async with hub.reader() as session:
        await service.check_join(session, p, ticket_id, after_seq)


async def replay(hub: Hub, p: Principal, ticket_id: int, after_seq: int | None) -> service.Joined:
    """The events after ``after_seq`` and the read positions (after :func:`check_join`)."""
    async with hub.reader() as session:
        return await service.replay(session, p, ticket_id, after_seq)


async def history(
    hub: Hub, p: Principal, ticket_id: int, before_seq: int | None, limit: int
) -> service.Page:
    async with hub.reader() as session:
        return await service.history(session, p, ticket_id, before_seq, limit)


async def missing(
    hub: Hub, p: Principal, ticket_id: int, after_seq: int, before_seq: int | None
) -> service.Page:
    async with hub.reader() as session:
        return await service.missing(session, p, ticket_id, after_seq, before_seq)


async def edit_comment(
    hub: Hub, p: Principal, ticket_id: int, seq: int, body: str
) -> dict[str, Any]:
    async with hub.unit() as unit:
        return event_view(await service.edit_comment(unit, p, ticket_id, seq, body))


async def delete_comment(hub: Hub, p: Principal, ticket_id: int, seq: int) -> dict[str, Any]:
    async with hub.unit() as unit:
        return event_view(await service.delete_comment(unit, p, ticket_id, seq))


async def typing(hub: Hub, p: Principal, ticket_id: int, active: bool) -> bool:
    """False when throttled (nothing sent)."""
    async with hub.unit(write=False) as unit:  # never stored: no write lock
        return await service.typing(unit, hub.limiter, p, ticket_id, active)


async def mark_read(hub: Hub, p: Principal, ticket_id: int, seq: int) -> int:
    """The reader's position on the ticket after this read."""
    async with hub.unit() as unit:
        row = await service.mark_read(unit, p, ticket_id, seq)
        return row.seq


async def may_watch(hub: Hub, ticket_id: int, watchers: list[Principal]) -> list[bool]:
    """For each watcher: may they still see the ticket (after a transfer, a deactivation)?"""
    async with hub.reader() as session:
        return await service.may_watch(session, ticket_id, watchers)


async def latest_event(hub: Hub, ticket_id: int) -> dict[str, Any] | None:
    async with hub.reader() as session:
        return await service.latest_event(session, ticket_id)


async def add_attachment(
    hub: Hub, p: Principal, ticket_id: int, name: str, data: bytes
) -> dict[str, Any]:
    """Keep an upload for a later comment (see :func:`chat.attachments.add_attachment`)."""
    async with hub.unit() as unit:
        row = await attachments.add_attachment(
            unit, hub.limiter, p, ticket_id, name, data, hub.settings.attachments_dir
        )
        return attachments.attachment_view(row)


@dataclass(frozen=True)
class Download:
    path: Path
    content_type: str
    filename: str
    #: shown in the page (photos) rather than saved
    inline: bool


async def attachment(hub: Hub, p: Principal, ticket_id: int, attachment_id: str) -> Download:
    """An attachment's file, only for those who may view its ticket (``not_found`` otherwise)."""
    async with hub.reader() as session:
        a = await attachments.attachment_for(session, p, ticket_id, attachment_id)
        return Download(
            hub.settings.attachments_dir / a.id,
            a.content_type,
            a.filename,
            a.content_type in attachments.IMAGE_TYPES,
        )


async def officer_queue(
    hub: Hub, p: Principal, f: WorkFilter, limit: int
) -> tuple[list[dict[str, Any]], bool]:
    """The officer's worklist with their own unread counts (``chat.worklist``)."""
    async with hub.reader() as session:
        return await worklist.officer_queue(session, p, f, limit)
