package io.opentrackers.tracker;

import io.opentrackers.account.AccountDeleted;
import io.opentrackers.account.AccountId;
import io.opentrackers.account.AccountUsage;
import java.util.Collection;
import java.util.Map;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** The trackers of an account, as operators see them: how many it has, and that they go with it. */
@Component
class AccountTrackers implements AccountUsage {

    private final TrackerRepository repository;

    AccountTrackers(TrackerRepository repository) {
        this.repository = repository;
    }

    @Override
    public String name() {
        return "trackers";
    }

    @Override
    public Map<AccountId, Long> countsOf(Collection<AccountId> accounts) {
        return repository.countsOf(accounts);
    }

    /**
     * In the account's deleting transaction: its trackers, and by cascade their examples and vocabulary vectors (V3,
     * V13). No {@link TrackersChangedEvent}: there is no account left to warm up; detection forgets it on its own.
     */
    @EventListener
    void accountDeleted(AccountDeleted event) {
        repository.deleteAllOf(event.account());
    }
}
