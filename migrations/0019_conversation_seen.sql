ALTER TABLE "conversations" ADD COLUMN "agent_last_seen_at" timestamp with time zone;
