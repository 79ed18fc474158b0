package dev.mmx.system;

/**
 * A runtime fault of the model being checked (index out of range, division by
 * zero, unlock of a lock not held, ...): a violation of the model, not a bug in mmx.
 */
public final class ModelFault extends RuntimeException {
    private final String property;

    public ModelFault(String property, String message) {
        super(message, null, false, false);
        this.property = property;
    }

    /** The property name the fault is reported under, e.g. {@code index_out_of_range}. */
    public String property() {
        return property;
    }
}
