package io.opentrackers.tracker;

import static io.opentrackers.ServiceClient.tracker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentrackers.ServiceClient;
import io.opentrackers.ServiceClientTestSupport;
import io.opentrackers.account.AccountId;
import io.opentrackers.common.FieldViolation;
import io.opentrackers.common.InvalidInputException;
import io.opentrackers.matching.TrackerDefinition;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;
import tools.jackson.databind.json.JsonMapper;

/** What matching, jobs and streaming get from the tracker store, and the change events they listen to. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@RecordApplicationEvents
class TrackerCatalogIT extends ServiceClientTestSupport {

    private static final List<String> PHRASES = List.of("cancel my plan", "stop the subscription", "end the contract",
            "close my account", "terminate service");

    @Autowired
    TrackerCatalog catalog;

    @Autowired
    TrackerService service;

    @Autowired
    ApplicationEvents events;

    @Autowired
    JsonMapper json;

    AccountId accountId;

    @BeforeEach
    void setUp() {
        accountId = AccountId.parse(account.id());
    }

    @Test
    void allOfListsTheAccountsTrackersInCreationOrderWithVersions() {
        String first = TrackerManagementIT.idOf(api.post(account, "/v1/manage/trackers", tracker("First")));
        api.post(account, "/v1/manage/trackers", tracker("Second").put("sensitivity", 0.3));
        api.post(api.newAccount(), "/v1/manage/trackers", tracker("Someone else's"));
        api.patch(account, "/v1/manage/trackers/" + first, "[{\"op\":\"add\",\"path\":\"/vocabulary/-\",\"value\":\"more\"}]");

        List<TrackerDefinition> all = catalog.allOf(accountId);

        assertThat(all).extracting(TrackerDefinition::name).containsExactly("First", "Second");
        assertThat(all.get(0).id()).isEqualTo(first);
        assertThat(all.get(0).version()).isEqualTo(2);
        assertThat(all.get(0).vocabulary()).endsWith("more");
        assertThat(all.get(1).sensitivity()).isEqualTo(0.3);
        assertThat(all.get(1).version()).isEqualTo(1);
    }

    @Test
    void streamsOfOneAccountShareTrackerDefinitionsUntilATrackerChanges() {
        String first = TrackerManagementIT.idOf(api.post(account, "/v1/manage/trackers", tracker("First")));
        api.post(account, "/v1/manage/trackers", tracker("Second"));

        List<TrackerDefinition> one = catalog.resolve(accountId, new TrackerSelection(null, true));
        List<TrackerDefinition> another = catalog.resolve(accountId, new TrackerSelection(null, true));
        assertThat(another.get(0)).isSameAs(one.get(0));
        assertThat(another.get(1)).isSameAs(one.get(1));

        api.patch(account, "/v1/manage/trackers/" + first, "[{\"op\":\"add\",\"path\":\"/vocabulary/-\",\"value\":\"more\"}]");
        List<TrackerDefinition> changed = catalog.resolve(accountId, new TrackerSelection(null, true));
        assertThat(changed.get(0)).isNotSameAs(one.get(0));
        assertThat(changed.get(0).vocabulary()).endsWith("more");
        assertThat(changed.get(0).version()).isEqualTo(2);
        assertThat(changed.get(1)).isSameAs(one.get(1));
    }

    @Test
    void resolveMixesReferencesAndInlineTrackersWithoutDuplicates() {
        String managed = TrackerManagementIT.idOf(api.post(account, "/v1/manage/trackers", tracker("Managed")));
        String other = TrackerManagementIT.idOf(api.post(account, "/v1/manage/trackers", tracker("Other")));
        TrackerReference inline = new TrackerReference(null, "Cancellation", PHRASES, 0.8);

        List<TrackerDefinition> resolved = catalog.resolve(accountId,
                new TrackerSelection(List.of(new TrackerReference(managed, null, null, null), inline, inline), false));

        assertThat(resolved).extracting(TrackerDefinition::name).containsExactly("Managed", "Cancellation");
        TrackerDefinition inlineDefinition = resolved.get(1);
        assertThat(inlineDefinition.version()).isZero();
        assertThat(inlineDefinition.sensitivity()).isEqualTo(0.8);
        // the same content gives the same id on every call (appending to a conversation reuses it)
        assertThat(catalog.resolve(accountId, new TrackerSelection(List.of(inline), false)).get(0).id())
                .isEqualTo(inlineDefinition.id());
        List<String> reordered = List.of("terminate service", "close my account", "end the contract",
                "stop the subscription", "cancel my plan");
        TrackerReference otherContent = new TrackerReference(null, "Cancellation", reordered, null);
        assertThat(catalog.resolve(accountId, new TrackerSelection(List.of(otherContent), false)).get(0).id())
                .isNotEqualTo(inlineDefinition.id());

        List<TrackerDefinition> withAll = catalog.resolve(accountId,
                new TrackerSelection(List.of(new TrackerReference(managed, null, null, null), inline), true));
        assertThat(withAll).extracting(TrackerDefinition::id).containsExactly(managed, inlineDefinition.id(), other);
    }

    @Test
    void resolveRefusesUnknownForeignAndInvalidTrackersNamingEach() {
        String foreign = TrackerManagementIT.idOf(api.post(api.newAccount(), "/v1/manage/trackers", tracker("Foreign")));

        assertThatThrownBy(() -> catalog.resolve(accountId, new TrackerSelection(List.of(
                new TrackerReference("no-such-id", null, null, null),
                new TrackerReference(foreign, null, null, null),
                new TrackerReference(null, "Bad", List.of("what?", "b", "c", "d", "e"), null),
                new TrackerReference(null, null, null, null)), false)))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.violations())
                        .extracting(FieldViolation::field)
                        .containsExactly("trackers[0].id", "trackers[1].id", "trackers[2].vocabulary[0]", "trackers[3]"));
    }

    @Test
    void everyChangePublishesTrackersChangedAndFailuresDoNot() {
        Tracker created = service.create(accountId, new TrackerRequest("Evented", PHRASES, null, null, null, null));
        service.createAll(accountId, List.of(new TrackerRequest("Bulk", PHRASES, null, null, null, null)), List.of());
        service.replace(accountId, created.id(), new TrackerRequest("Evented", PHRASES.subList(0, 5), null, null, null, 0.5),
                TrackerPrecondition.NONE);
        service.patch(accountId, created.id(), TrackerPatch.parse(
                json.readTree("[{\"op\":\"replace\",\"path\":\"/sensitivity\",\"value\":0.4}]"), json),
                TrackerPrecondition.NONE);
        service.delete(accountId, created.id(), TrackerPrecondition.NONE);
        assertThat(events.stream(TrackersChangedEvent.class)).hasSize(5)
                .allSatisfy(event -> assertThat(event.account()).isEqualTo(accountId));

        events.clear();
        assertThatThrownBy(() -> service.create(accountId, new TrackerRequest("Bulk", PHRASES, null, null, null, null)))
                .hasMessageContaining("already exists");
        assertThatThrownBy(() -> service.delete(accountId, created.id(), TrackerPrecondition.NONE))
                .hasMessageContaining("No tracker");
        assertThat(events.stream(TrackersChangedEvent.class)).isEmpty();
    }
}
