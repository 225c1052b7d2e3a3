-- Local pathway variants (issue 17): a case records the variant and version its rules run under — the variant in
-- force for the citizen's municipality on the date of the event that opened it; both null for the base pathway.
ALTER TABLE cases ADD COLUMN pathway_variant text, ADD COLUMN pathway_version integer,
    ADD CONSTRAINT cases_pathway_variant_versioned CHECK ((pathway_variant IS NULL) = (pathway_version IS NULL)),
    ADD CONSTRAINT cases_pathway_variant_slug CHECK (pathway_variant IS NULL OR length(pathway_variant) <= 100);
