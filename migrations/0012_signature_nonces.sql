CREATE TABLE "inbound_signature_nonces" (
	"provider" text NOT NULL,
	"nonce" text NOT NULL,
	"body_sha256" text NOT NULL,
	"seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inbound_signature_nonces_provider_nonce_pk" PRIMARY KEY("provider","nonce")
);
--> statement-breakpoint
CREATE INDEX "inbound_signature_nonces_seen_idx" ON "inbound_signature_nonces" USING btree ("seen_at");