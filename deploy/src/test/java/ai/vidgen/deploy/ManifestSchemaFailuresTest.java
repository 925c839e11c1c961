package ai.vidgen.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The schema check fails where a cluster would refuse: broken objects, written here (never by
 * editing deploy/), are reported with their kind, name and the path of what is wrong.
 */
class ManifestSchemaFailuresTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static List<String> problemsOf(String yaml) throws Exception {
        List<JsonNode> objects = new ArrayList<>();
        YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml).forEachRemaining(objects::add);
        return ManifestSchemas.problems(objects, "test");
    }

    @Test
    void aValidDeploymentAndKafkaTopicPass() throws Exception {
        assertThat(problemsOf("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, labels: {app.kubernetes.io/name: web}}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers:
                        - name: web
                          image: web:1
                          ports: [{containerPort: 8080, name: http}]
                          resources: {requests: {cpu: 100m, memory: 256Mi}}
                          readinessProbe: {httpGet: {path: /q/health/ready, port: http}}
                ---
                apiVersion: kafka.strimzi.io/v1beta2
                kind: KafkaTopic
                metadata: {name: events, labels: {strimzi.io/cluster: vidgen}}
                spec: {partitions: 12, replicas: 3, config: {retention.ms: -1}}
                """)).isEmpty();
    }

    @Test
    void aMistypedFieldOfADeploymentIsAnUnknownField() throws Exception {
        assertThat(problemsOf("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicass: 2
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers: [{name: web, image: web:1, imagePullPolicy: Always, imagePulPolicy: Always}]
                """)).containsExactlyInAnyOrder(
                "Deployment web (test): .spec.replicass: unknown field (not in V1DeploymentSpec of Kubernetes 1.32)",
                "Deployment web (test): .spec.template.spec.containers[0].imagePulPolicy: unknown field (not in V1Container of Kubernetes 1.32)");
    }

    @Test
    void wrongTypesAndMissingRequiredFieldsOfKubernetesKindsAreReported() throws Exception {
        assertThat(problemsOf("""
                apiVersion: v1
                kind: Service
                metadata: {name: api}
                spec:
                  ports: [{port: "80", targetPort: http}]
                  selector: {app: [api]}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec: {selector: {matchLabels: {app: web}}, template: {spec: {containers: [{image: web:1}]}}}
                """)).containsExactlyInAnyOrder(
                "Service api (test): .spec.ports[0].port: must be integer",
                "Service api (test): .spec.selector.app: must be string",
                "Deployment web (test): .spec.template.spec.containers[0]: missing required field \"name\"");
    }

    @Test
    void aWrongTypeInAScaledObjectIsReported() throws Exception {
        assertThat(problemsOf("""
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata: {name: fal-adapter}
                spec:
                  scaleTargetRef: {name: fal-adapter}
                  minReplicaCount: three
                  triggers: [{type: kafka, metadata: {topic: generation-events}}]
                """)).containsExactly("ScaledObject fal-adapter (test): .spec.minReplicaCount: must be integer");
    }

    @Test
    void anUnknownFieldInAKafkaTopicSpecIsReported() throws Exception {
        assertThat(problemsOf("""
                apiVersion: kafka.strimzi.io/v1beta2
                kind: KafkaTopic
                metadata: {name: generation-events}
                spec: {partitions: 12, replicas: 3, retention: -1}
                """)).singleElement().asString()
                .startsWith("KafkaTopic generation-events (test): .spec.retention: unknown field");
    }

    @Test
    void customResourcesOfTheOtherOperatorsAreCheckedToo() throws Exception {
        assertThat(problemsOf("""
                apiVersion: postgresql.cnpg.io/v1
                kind: Cluster
                metadata: {name: pg}
                spec: {instances: 3, storage: {size: 1Gi, sise: 2Gi}}
                ---
                apiVersion: kafka.strimzi.io/v1beta2
                kind: KafkaUser
                metadata: {name: billing, labels: {strimzi.io/cluster: vidgen}}
                spec: {authentication: {type: scram-sha-512}, authorization: {type: simple, acls: wrong}}
                ---
                apiVersion: monitoring.coreos.com/v1
                kind: ServiceMonitor
                metadata: {name: vidgen}
                spec: {selector: {}, endpoints: [{port: http, interval: 30s, scrapeTimeout: 10s, honourLabels: true}]}
                """)).satisfiesExactlyInAnyOrder(
                p -> assertThat(p).startsWith("Cluster pg (test): .spec.storage.sise: unknown field"),
                p -> assertThat(p).isEqualTo("KafkaUser billing (test): .spec.authorization.acls: must be array"),
                p -> assertThat(p).startsWith("ServiceMonitor vidgen (test): .spec.endpoints[0].honourLabels: unknown field"));
    }

    @Test
    void aKindWithoutASchemaFailsInsteadOfBeingSkipped() throws Exception {
        assertThat(problemsOf("""
                apiVersion: example.com/v1
                kind: Widget
                metadata: {name: w}
                ---
                apiVersion: apps/v1
                kind: Deploymnet
                metadata: {name: d}
                """)).satisfiesExactlyInAnyOrder(
                p -> assertThat(p).startsWith("Widget w (test): no schema for Widget (example.com/v1)"),
                p -> assertThat(p).isEqualTo("Deploymnet d (test): no schema for Deploymnet (apps/v1) in Kubernetes 1.32"));
    }
}
