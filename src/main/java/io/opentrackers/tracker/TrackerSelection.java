package io.opentrackers.tracker;

import java.util.List;

/**
 * Which trackers a conversation request applies, the one rule for {@code POST /v1/match}, the Async API and a
 * streaming {@code start_request} (api.md: "If neither trackers nor enableAllTrackers is given, all the
 * account's trackers apply; an explicit value always wins"):
 * <ul>
 *   <li>neither field: every managed tracker of the account;</li>
 *   <li>{@code trackers} given, {@code enableAllTrackers} absent: exactly the listed trackers. A list that is
 *       given is an explicit choice even when it is empty, so {@code "trackers": []} applies no tracker;</li>
 *   <li>{@code enableAllTrackers: true}: the listed trackers and every managed one;
 *       {@code enableAllTrackers: false}: only the listed ones.</li>
 * </ul>
 * Kept with each job as given, so that an append which names none keeps the conversation's selection.
 *
 * @param trackers          inline {@code {name, vocabulary}} trackers and {@code {id}} references, null when absent
 * @param enableAllTrackers null when absent
 */
public record TrackerSelection(List<TrackerReference> trackers, Boolean enableAllTrackers) {

    /** Neither field was given. */
    public boolean isUnspecified() {
        return trackers == null && enableAllTrackers == null;
    }

    public boolean includesAllAccountTrackers() {
        return enableAllTrackers != null ? enableAllTrackers : trackers == null;
    }

    public List<TrackerReference> requested() {
        return trackers == null ? List.of() : trackers;
    }

    /**
     * Why a request whose selection applied no tracker finds no hits, and what to do: the warning of a job and of a
     * stream alike, so that both say it in the same words (docs/api.md, "Which trackers apply"). Such a request used
     * to complete with no hits and no word of why.
     *
     * @param subject           what applied none ("this job", "this stream")
     * @param chosen            when its trackers were chosen ("it was submitted")
     * @param enableAllTrackers where its request takes {@code enableAllTrackers}
     * @param again             what the client does once the account has trackers ("submit the conversation again")
     */
    public static String noTrackerApplied(String subject, String chosen, String enableAllTrackers, String again) {
        return "no tracker applied to " + subject + ", so no message could match one: the account had no trackers "
                + "when " + chosen + ", or the request chose none (\"trackers\": [] or \"" + enableAllTrackers
                + "\": false). Create trackers (POST /v1/manage/trackers) and " + again;
    }
}
