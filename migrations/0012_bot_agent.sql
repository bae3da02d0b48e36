-- A bot used as a model by agents (POST /v1/chat/completions with model "bot_…") may be allowed
-- function calling and JSON output: JSON {"tools": bool, "json": bool}. NULL = both off, the
-- default: a bot answers grounded, with citations (docs/chat.md, "Bots for agents").
ALTER TABLE bots ADD COLUMN agent TEXT;
