"""intake: accepted file kinds per document, form fields per service, drafts and uploads,
each ticket's checklist and form, the access code kept encrypted.

Data (only adds, never overwrites what admins edited): every existing service gets the form
fields of ``hub/catalog.py`` whose codes it lacks; NA gets the spouse's ID card
(``KTP_PASANGAN``) if missing; KWNI's death statement (``KET_RS``) becomes required with its
wider name — only while it is still exactly as 0005 shipped it; documents that take photos
only (``PAS_FOTO``) accept images only.

Revision ID: 0008_intake
Revises: 0007_letters
Create Date: 2026-12-02 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import hub.models
from hub import catalog

revision: str = "0008_intake"
down_revision: str | None = "0007_letters"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = hub.models.BigId
NEW_REQUIREMENTS = {"NA": [catalog.KTP_PASANGAN]}


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def upgrade() -> None:
    op.add_column(
        "service_requirements",
        sa.Column("accepts", sa.String(length=32), nullable=False, server_default="image,pdf"),
    )
    op.create_table(
        "service_form_fields",
        sa.Column("id", BigId, nullable=False),
        sa.Column("service_type_id", BigId, nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("label_en", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "text",
                "textarea",
                "date",
                "number",
                "select",
                name="field_kind",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["service_type_id"],
            ["service_types.id"],
            name=op.f("fk_service_form_fields_service_type_id_service_types"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_form_fields")),
        sa.UniqueConstraint("service_type_id", "code", name="uq_service_form_fields_code"),
    )
    op.create_index(
        op.f("ix_service_form_fields_service_type_id"),
        "service_form_fields",
        ["service_type_id"],
        unique=False,
    )
    op.create_table(
        "request_drafts",
        sa.Column("id", BigId, nullable=False),
        sa.Column("owner_id", BigId, nullable=False),
        sa.Column("service_type_id", BigId, nullable=False),
        sa.Column("office_id", BigId, nullable=True),
        sa.Column("form", sa.JSON(), nullable=False),
        sa.Column("created_at", hub.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", hub.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ticket_id", BigId, nullable=True),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_request_drafts_owner_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["service_type_id"],
            ["service_types.id"],
            name=op.f("fk_request_drafts_service_type_id_service_types"),
        ),
        sa.ForeignKeyConstraint(
            ["office_id"], ["offices.id"], name=op.f("fk_request_drafts_office_id_offices")
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["tickets.id"], name=op.f("fk_request_drafts_ticket_id_tickets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_request_drafts")),
    )
    op.create_index(
        op.f("ix_request_drafts_owner_id"), "request_drafts", ["owner_id"], unique=False
    )
    op.create_table(
        "request_files",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("draft_id", BigId, nullable=True),
        sa.Column("ticket_id", BigId, nullable=True),
        sa.Column("requirement_code", sa.String(length=32), nullable=False),
        sa.Column("uploader_key", sa.String(length=32), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", hub.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["draft_id"],
            ["request_drafts.id"],
            name=op.f("fk_request_files_draft_id_request_drafts"),
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["tickets.id"], name=op.f("fk_request_files_ticket_id_tickets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_request_files")),
    )
    op.create_index(op.f("ix_request_files_draft_id"), "request_files", ["draft_id"], unique=False)
    op.create_index(
        op.f("ix_request_files_ticket_id"), "request_files", ["ticket_id"], unique=False
    )
    op.create_table(
        "ticket_documents",
        sa.Column("ticket_id", BigId, nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.Column("accepts", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.String(length=32), nullable=True),
        sa.Column(
            "state",
            sa.Enum(
                "pending", "ok", "missing", name="document_state", native_enum=False, length=16
            ),
            nullable=False,
        ),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("checked_by_id", BigId, nullable=True),
        sa.Column("checked_by_name", sa.String(length=120), nullable=True),
        sa.Column("checked_at", hub.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("updated_at", hub.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["tickets.id"], name=op.f("fk_ticket_documents_ticket_id_tickets")
        ),
        sa.ForeignKeyConstraint(
            ["file_id"],
            ["request_files.id"],
            name=op.f("fk_ticket_documents_file_id_request_files"),
        ),
        sa.ForeignKeyConstraint(
            ["checked_by_id"], ["users.id"], name=op.f("fk_ticket_documents_checked_by_id_users")
        ),
        sa.PrimaryKeyConstraint("ticket_id", "code", name=op.f("pk_ticket_documents")),
    )
    op.create_table(
        "ticket_intake",
        sa.Column("ticket_id", BigId, nullable=False),
        sa.Column("form", sa.JSON(), nullable=False),
        sa.Column("applicant_nik_cipher", sa.Text(), nullable=True),
        sa.Column("applicant_nik_hash", sa.String(length=64), nullable=True),
        sa.Column("access_code_cipher", sa.Text(), nullable=True),
        sa.Column("created_at", hub.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["tickets.id"], name=op.f("fk_ticket_intake_ticket_id_tickets")
        ),
        sa.PrimaryKeyConstraint("ticket_id", name=op.f("pk_ticket_intake")),
    )
    op.create_index(
        op.f("ix_ticket_intake_applicant_nik_hash"),
        "ticket_intake",
        ["applicant_nik_hash"],
        unique=False,
    )
    _upgrade_data()


def _upgrade_data() -> None:
    conn = op.get_bind()
    services = sa.table("service_types", sa.column("id", sa.Integer), sa.column("code", sa.String))
    reqs = sa.table(
        "service_requirements",
        sa.column("id", sa.Integer),
        sa.column("service_type_id", sa.Integer),
        sa.column("code", sa.String),
        sa.column("name", sa.String),
        sa.column("name_en", sa.String),
        sa.column("position", sa.Integer),
        sa.column("required", sa.Boolean),
        sa.column("accepts", sa.String),
    )
    fields = sa.table(
        "service_form_fields",
        sa.column("service_type_id", sa.Integer),
        sa.column("code", sa.String),
        sa.column("label", sa.String),
        sa.column("label_en", sa.String),
        sa.column("kind", sa.String),
        sa.column("required", sa.Boolean),
        sa.column("options", sa.JSON),
        sa.column("position", sa.Integer),
    )
    specs = {spec.code: spec for spec in catalog.SERVICES}
    for s in conn.execute(sa.select(services.c.id, services.c.code)).all():
        spec = specs.get(s.code)
        if spec is None:
            continue
        rows = conn.execute(
            sa.select(reqs.c.id, reqs.c.code, reqs.c.name, reqs.c.name_en, reqs.c.required,
                      reqs.c.position).where(reqs.c.service_type_id == s.id)
        ).all()  # fmt: skip
        have = {r.code: r for r in rows}
        end = max([r.position for r in rows], default=-1) + 1
        for r in NEW_REQUIREMENTS.get(s.code, []):
            if r.code not in have:
                conn.execute(reqs.insert().values(
                    service_type_id=s.id, code=r.code, name=r.name, name_en=r.name_en,
                    position=end, required=r.required, accepts=",".join(r.accepts),
                ))  # fmt: skip
                end += 1
        old = catalog.KET_RS_0005
        row = have.get(old.code) if s.code == "KWNI" else None
        if row is not None and (row.name, row.name_en, row.required) == old[1:4]:
            new = catalog.KET_RS
            conn.execute(
                reqs.update().where(reqs.c.id == row.id)
                .values(name=new.name, name_en=new.name_en, required=new.required)
            )  # fmt: skip
        for r in spec.requirements:
            if r.code in have and r.accepts != catalog.IMAGE_PDF:
                conn.execute(
                    reqs.update().where(reqs.c.id == have[r.code].id)
                    .values(accepts=",".join(r.accepts))
                )  # fmt: skip
        present = set(
            conn.execute(sa.select(fields.c.code).where(fields.c.service_type_id == s.id))
            .scalars()
        )  # fmt: skip
        new_fields = [
            {"service_type_id": s.id, "code": f.code, "label": f.label, "label_en": f.label_en,
             "kind": f.kind, "required": f.required, "options": list(f.options), "position": i}
            for i, f in enumerate(catalog.FORM_FIELDS.get(s.code, ()))
            if f.code not in present
        ]  # fmt: skip
        if new_fields:
            conn.execute(fields.insert(), new_fields)


def downgrade() -> None:
    op.drop_index(op.f("ix_ticket_intake_applicant_nik_hash"), table_name="ticket_intake")
    op.drop_table("ticket_intake")
    op.drop_table("ticket_documents")
    op.drop_index(op.f("ix_request_files_ticket_id"), table_name="request_files")
    op.drop_index(op.f("ix_request_files_draft_id"), table_name="request_files")
    op.drop_table("request_files")
    op.drop_index(op.f("ix_request_drafts_owner_id"), table_name="request_drafts")
    op.drop_table("request_drafts")
    op.drop_index(op.f("ix_service_form_fields_service_type_id"), table_name="service_form_fields")
    op.drop_table("service_form_fields")
    if _sqlite():
        op.execute("ALTER TABLE service_requirements DROP COLUMN accepts")
    else:
        op.drop_column("service_requirements", "accepts")
