package ai.vidgen.events.catalog;

public enum Tier {
    STANDARD, PRO
}
