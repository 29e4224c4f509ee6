-- Nothing to do on PostgreSQL (its sequences cost no extra commit); kept so that both dialects
-- carry the same migration versions (h2/V8 enlarges H2's identity cache of the event table).
SELECT 1;
