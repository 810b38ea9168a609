"""E-mail from an outbox table: `outbox` (the table, `enqueue`, the state of each mail), `smtp` (settings from the
environment, one delivery), `sender` (send what is due with retry and back-off; the worker loop), `notify` (which
events make which mails, rendered from templates/mail/ in the reader's language, overridable per app)."""
