package io.opentrackers;

import io.opentrackers.account.AccountId;
import io.opentrackers.common.InvalidInputException;
import io.opentrackers.job.LiteralTrackerDetector;
import io.opentrackers.matching.TrackerDefinition;
import io.opentrackers.matching.TrackerDetector;
import io.opentrackers.tracker.TrackerCatalog;
import io.opentrackers.tracker.TrackerReference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Test-only stand-ins for seams other features implement in parallel (TrackerCatalog, TrackerDetector). Each is
 * registered only when no real bean of its type exists, so once the real implementation is merged these do
 * nothing and every test runs against the real one.
 */
@Configuration(proxyBeanMethods = false)
class SeamStandIns {

    @Bean
    static BeanDefinitionRegistryPostProcessor seamStandInRegistrar() {
        return new BeanDefinitionRegistryPostProcessor() {
            @Override
            public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
                ConfigurableListableBeanFactory factory = (ConfigurableListableBeanFactory) registry;
                if (factory.getBeanNamesForType(TrackerCatalog.class, true, false).length == 0) {
                    registry.registerBeanDefinition("standInTrackerCatalog",
                            new RootBeanDefinition(TableTrackerCatalog.class));
                }
                if (factory.getBeanNamesForType(TrackerDetector.class, true, false).length == 0) {
                    registry.registerBeanDefinition("standInTrackerDetector",
                            new RootBeanDefinition(LiteralTrackerDetector.class));
                }
            }

            @Override
            public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
            }
        };
    }

    /** Reads managed trackers straight from the V1 tracker table; inline ones get a content-derived id. */
    static class TableTrackerCatalog implements TrackerCatalog {

        private final JdbcClient jdbc;

        TableTrackerCatalog(JdbcClient jdbc) {
            this.jdbc = jdbc;
        }

        @Override
        public List<TrackerDefinition> allOf(AccountId account) {
            return jdbc.sql("select id, name, vocabulary, version from tracker where account_id = :a order by created_on")
                    .param("a", account.value())
                    .query((rs, row) -> new TrackerDefinition(rs.getString("id"), rs.getString("name"),
                            List.of((String[]) rs.getArray("vocabulary").getArray()), null, rs.getLong("version")))
                    .list();
        }

        @Override
        public List<TrackerDefinition> resolve(AccountId account, List<TrackerReference> requested, boolean all) {
            Map<String, TrackerDefinition> managed = new LinkedHashMap<>();
            allOf(account).forEach(t -> managed.put(t.id(), t));
            Map<String, TrackerDefinition> result = new LinkedHashMap<>();
            for (int i = 0; i < requested.size(); i++) {
                TrackerReference reference = requested.get(i);
                if (reference.isReference()) {
                    TrackerDefinition found = managed.get(reference.id());
                    if (found == null) {
                        throw new InvalidInputException("trackers[" + i + "].id",
                                "no tracker with id '" + reference.id() + "'");
                    }
                    result.put(found.id(), found);
                } else {
                    if (reference.name() == null || reference.name().isBlank()) {
                        throw new InvalidInputException("trackers[" + i + "].name", "is required");
                    }
                    if (reference.vocabulary() == null || reference.vocabulary().isEmpty()) {
                        throw new InvalidInputException("trackers[" + i + "].vocabulary", "is required");
                    }
                    String id = UUID.nameUUIDFromBytes((reference.name() + reference.vocabulary()).getBytes()).toString();
                    result.put(id, new TrackerDefinition(id, reference.name(), reference.vocabulary(), null, 0));
                }
            }
            if (all) {
                managed.values().forEach(t -> result.putIfAbsent(t.id(), t));
            }
            return new ArrayList<>(result.values());
        }
    }
}
