-- Axon event store, snapshots, tracking tokens and sagas (our own DDL: Axon's HSQL DDL fails on H2 2.x)
-- H2: VARBINARY / VARCHAR keep values in the row; BLOB / CLOB would go through H2's slower LOB store
CREATE TABLE domain_event_entry (
    global_index         BIGINT AUTO_INCREMENT PRIMARY KEY,
    event_identifier     VARCHAR(255) NOT NULL UNIQUE,
    meta_data            VARBINARY,
    payload              VARBINARY NOT NULL,
    payload_revision     VARCHAR(255),
    payload_type         VARCHAR(255) NOT NULL,
    time_stamp           VARCHAR(255) NOT NULL,
    aggregate_identifier VARCHAR(255) NOT NULL,
    sequence_number      BIGINT NOT NULL,
    type                 VARCHAR(255),
    CONSTRAINT uq_aggregate_sequence UNIQUE (aggregate_identifier, sequence_number)
);

CREATE TABLE snapshot_event_entry (
    aggregate_identifier VARCHAR(255) NOT NULL,
    sequence_number      BIGINT NOT NULL,
    type                 VARCHAR(255) NOT NULL,
    event_identifier     VARCHAR(255) NOT NULL UNIQUE,
    meta_data            VARBINARY,
    payload              VARBINARY NOT NULL,
    payload_revision     VARCHAR(255),
    payload_type         VARCHAR(255) NOT NULL,
    time_stamp           VARCHAR(255) NOT NULL,
    PRIMARY KEY (aggregate_identifier, sequence_number)
);

CREATE TABLE token_entry (
    processor_name VARCHAR(255) NOT NULL,
    segment        INTEGER NOT NULL,
    token          VARBINARY,
    token_type     VARCHAR(255),
    timestamp      VARCHAR(255),
    owner          VARCHAR(255),
    PRIMARY KEY (processor_name, segment)
);

CREATE TABLE saga_entry (
    saga_id         VARCHAR(255) NOT NULL PRIMARY KEY,
    revision        VARCHAR(255),
    saga_type       VARCHAR(255),
    serialized_saga VARBINARY
);

CREATE TABLE association_value_entry (
    id                BIGINT AUTO_INCREMENT PRIMARY KEY,
    association_key   VARCHAR(255) NOT NULL,
    association_value VARCHAR(255),
    saga_id           VARCHAR(255) NOT NULL,
    saga_type         VARCHAR(255)
);
CREATE INDEX ix_association_saga ON association_value_entry (saga_id, saga_type);
CREATE INDEX ix_association_value ON association_value_entry (saga_type, association_key, association_value);
