package dev.autoplane.platform.storage;

import java.util.Locale;

/** Where events, tokens and read models live (ARCHITECTURE.md "Storage modes"). */
public enum StorageMode {
    /** Axon JDBC engine, token store and read models in one H2 file database in the data directory. */
    EMBEDDED,
    /** The same on PostgreSQL. */
    POSTGRES,
    /** Axon Server for events, commands and queries; PostgreSQL for tokens; MongoDB read models. */
    DISTRIBUTED;

    public static StorageMode parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "autoplane.storage must be embedded, postgres or distributed, not '" + value + "'");
        }
    }
}
