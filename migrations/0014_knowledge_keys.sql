-- knowledge_terms and knowledge_stats keyed like every tenant table, (tenant_id, id), with the id
-- made by the database (their rows are written by triggers); the natural keys stay unique.
ALTER TABLE "knowledge_stats" ADD COLUMN "id" uuid DEFAULT gen_random_uuid() NOT NULL;--> statement-breakpoint
ALTER TABLE "knowledge_stats" DROP CONSTRAINT "knowledge_stats_pkey";--> statement-breakpoint
ALTER TABLE "knowledge_stats" ADD CONSTRAINT "knowledge_stats_pkey" PRIMARY KEY("tenant_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "knowledge_stats_tenant_key" ON "knowledge_stats" USING btree ("tenant_id");--> statement-breakpoint
ALTER TABLE "knowledge_terms" ADD COLUMN "id" uuid DEFAULT gen_random_uuid() NOT NULL;--> statement-breakpoint
ALTER TABLE "knowledge_terms" DROP CONSTRAINT "knowledge_terms_pkey";--> statement-breakpoint
ALTER TABLE "knowledge_terms" ADD CONSTRAINT "knowledge_terms_pkey" PRIMARY KEY("tenant_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "knowledge_terms_tenant_term_key" ON "knowledge_terms" USING btree ("tenant_id","term");
