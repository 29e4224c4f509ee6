-- The global index of the event table is an identity; H2 stores its sequence with a commit of its
-- own every time its cache (32 values by default) runs out, which made those extra commits most of
-- the cost of appending events (see bench/README.md, P2 profile). A cache of 1,000 values: after a
-- crash up to 1,000 index values are skipped, which Axon's gap-aware tracking tokens tolerate.
ALTER TABLE domain_event_entry ALTER COLUMN global_index SET CACHE 1000;
