package io.opentrackers;

import io.opentrackers.job.LiteralTrackerDetector;
import io.opentrackers.matching.TrackerDetector;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Test-only stand-in for a seam another feature implements in parallel (TrackerDetector). It is
 * registered only when no real bean of its type exists, so once the real implementation is merged this does
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
}
