package io.opentrackers.account;

import java.util.Collection;
import java.util.Map;

/**
 * A figure of what accounts hold, shown to operators in {@code GET /admin/accounts} under its {@link #name()}: the
 * feature that owns the data counts it (the account feature reads no other feature's tables). Implemented by
 * {@code tracker} (trackers) and {@code conversation} (conversations).
 */
public interface AccountUsage {

    /** The figure's name in the answer's {@code counts}. */
    String name();

    /** The figure of each of these accounts; an account without any may be left out (it counts 0). */
    Map<AccountId, Long> countsOf(Collection<AccountId> accounts);
}
