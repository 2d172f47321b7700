package org.orbita.journeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.orbita.journeys.Journey.Link;
import org.orbita.journeys.Journey.Node;

public class JourneyBpmnTest {

    /** The example: an event starts it → wait a day → email → opened within 2 days? → SMS, else push → goal. */
    public static Journey welcome() {
        return new Journey("welcome", "Welcome", List.of(
                new Node("start", "start", "Signed up", Map.of("entry", "event", "event", "signup", "reentry", "never")),
                new Node("wait1d", "pause", "A day later", Map.of("duration", "P1D")),
                new Node("email", "send-message", "Welcome letter", Map.of("messageId", "m-welcome", "channels", "email")),
                new Node("opened", "wait-event", "Opened?", Map.of("event", "message.opened", "timeout", "P2D")),
                new Node("sms", "send-message", "SMS", Map.of("messageId", "m-sms", "channels", "sms")),
                new Node("push", "send-message", "Push", Map.of("messageId", "m-push", "channels", "push")),
                new Node("goal", "goal", "Activated", Map.of("goal", "activated")),
                new Node("end", "exit", "Done", Map.of())),
                List.of(new Link("start", "wait1d", null), new Link("wait1d", "email", null), new Link("email", "opened", null),
                        new Link("opened", "sms", "event"), new Link("opened", "push", "timeout"), new Link("sms", "goal", null),
                        new Link("push", "goal", null), new Link("goal", "end", null)));
    }

    @Test
    void aJourneyBecomesZeebeBpmnAndComesBackTheSame() {
        String xml = JourneyBpmn.toXml(welcome());
        assertThat(xml).contains("http://camunda.org/schema/zeebe/1.0").contains(":taskDefinition type=\"orbita.send-message\"").contains("timeDuration")
                .contains("name=\"orbita.event.message.opened\"").contains("correlationKey=\"=profileId\"").contains("bpmndi:BPMNShape").contains("BPMNEdge");
        Journey back = JourneyBpmn.fromXml(xml);
        assertThat(back.id()).isEqualTo("welcome");
        sameJourney(back, welcome());
    }

    @Test
    void theShippedExampleReadsAsTheJourneyItWasMadeFrom() throws Exception {
        String xml;
        try (var in = getClass().getResourceAsStream("/examples/welcome.bpmn")) {
            xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Journey back = JourneyBpmn.fromXml(xml);
        sameJourney(back, welcome());
    }

    @Test
    void branchingNodesBecomeATaskAndAGatewayTestingTheBranch() {
        Journey j = new Journey("ab", "AB", List.of(
                new Node("s", "start", "API", Map.of("entry", "api")),
                new Node("vip", "check-condition", "VIP?", Map.of("segment", "seg-vip")),
                new Node("split", "split", "A/B", Map.of("shares", "80,20")),
                new Node("a", "send-message", "A", Map.of("messageId", "m1", "channels", "email")),
                new Node("b", "send-message", "B", Map.of("messageId", "m2", "channels", "email")),
                new Node("e", "exit", "End", Map.of())),
                List.of(new Link("s", "vip", null), new Link("vip", "split", "yes"), new Link("vip", "e", "no"),
                        new Link("split", "a", "A"), new Link("split", "b", "B"), new Link("a", "e", null), new Link("b", "e", null)));
        String xml = JourneyBpmn.toXml(j);
        assertThat(xml).contains("id=\"vip_branch\"").contains("=branch = \"yes\"").contains("=branch = \"B\"")
                .contains("key=\"shares\" value=\"80,20\"");
        Journey back = JourneyBpmn.fromXml(xml);
        sameJourney(back, j);
    }

    @Test
    void everyProblemIsNamed() {
        Journey broken = new Journey("x", "X", List.of(
                new Node("s", "start", "S", Map.of("entry", "event")),
                new Node("send", "send-message", "No message", Map.of("channels", "email")),
                new Node("p", "pause", "Pause", Map.of("duration", "tomorrow")),
                new Node("lost", "goal", "Unreachable", Map.of("goal", "g")),
                new Node("c", "check-condition", "Half a branch", Map.of("segment", "s1")),
                new Node("odd", "teleport", "?", Map.of()),
                new Node("e", "exit", "E", Map.of())),
                List.of(new Link("s", "send", null), new Link("send", "p", null), new Link("p", "c", null), new Link("c", "e", "yes"),
                        new Link("lost", "e", null), new Link("e", "s", null)));
        assertThatThrownBy(() -> JourneyBpmn.toXml(broken)).isInstanceOf(JourneyBpmn.Invalid.class).satisfies(t -> {
            List<String> problems = ((JourneyBpmn.Invalid) t).problems().stream().map(Journey.Problem::toString).toList();
            assertThat(problems).contains(
                    "node s event: entry by event needs the event type",
                    "node send messageId: is required (Message: the message to send)",
                    "node p duration: an ISO-8601 duration such as P1D or PT2H, not 'tomorrow'",
                    "node lost: no path from the start reaches this node",
                    "node c links: branch 'no' goes nowhere",
                    "node odd type: 'teleport' is not a node of the catalog",
                    "node e links: an exit ends the journey: no links go on from it");
        });
    }

    /** A loop the engine would run round without ever waiting is refused; one through a pause or a wait is a journey. */
    @Test
    void aLoopWithoutAPauseIsRefusedAndAPauseOfYearsToo() {
        Journey spins = new Journey("spin", "Spin", List.of(
                new Node("s", "start", "S", Map.of("entry", "api")),
                new Node("mark", "update-profile", "Mark", Map.of("fields", "{\"a\": 1}")),
                new Node("again", "check-condition", "Again?", Map.of("segment", "s1")),
                new Node("long", "pause", "Ten years", Map.of("duration", "P3650D")),
                new Node("e", "exit", "E", Map.of())),
                List.of(new Link("s", "mark", null), new Link("mark", "again", null), new Link("again", "mark", "yes"), new Link("again", "long", "no"),
                        new Link("long", "e", null)));
        assertThat(JourneyValidation.check(spins)).extracting(Journey.Problem::toString).contains(
                "node mark links: a loop back here with no pause or wait for an event in it would run without end",
                "node long duration: at most 1825 days (five years), not 3650");
        Journey waits = new Journey("loop", "Loop", List.of(
                new Node("s", "start", "S", Map.of("entry", "api")),
                new Node("mark", "update-profile", "Mark", Map.of("fields", "{\"a\": 1}")),
                new Node("again", "check-condition", "Again?", Map.of("segment", "s1")),
                new Node("week", "pause", "A week", Map.of("duration", "P7D")),
                new Node("e", "exit", "E", Map.of())),
                List.of(new Link("s", "mark", null), new Link("mark", "again", null), new Link("again", "week", "yes"), new Link("week", "mark", null),
                        new Link("again", "e", "no")));
        assertThat(JourneyValidation.check(waits)).isEmpty();
    }

    @Test
    void bpmnThatIsNotAJourneySaysWhichElements() {
        String foreign = """
                <?xml version="1.0" encoding="UTF-8"?>
                <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
                    id="d" targetNamespace="http://bpmn.io/schema/bpmn">
                  <bpmn:process id="p" isExecutable="true">
                    <bpmn:startEvent id="s"/>
                    <bpmn:userTask id="approve" name="Approve by hand"/>
                    <bpmn:serviceTask id="pay" name="Pay">
                      <bpmn:extensionElements><zeebe:taskDefinition type="payments.charge"/></bpmn:extensionElements>
                    </bpmn:serviceTask>
                  </bpmn:process>
                </bpmn:definitions>
                """;
        assertThatThrownBy(() -> JourneyBpmn.fromXml(foreign)).isInstanceOf(JourneyBpmn.Invalid.class)
                .hasMessageContaining("node approve type: userTask 'Approve by hand' is not an Orbita node")
                .hasMessageContaining("node pay type: service task 'Pay' has job type payments.charge");
        assertThatThrownBy(() -> JourneyBpmn.fromXml("<not-bpmn/>")).isInstanceOf(JourneyBpmn.Invalid.class).hasMessageContaining("not BPMN");
    }

    /** The same nodes and links, in any order (BPMN keeps no order of its own). */
    static void sameJourney(Journey actual, Journey expected) {
        assertThat(actual.nodes()).containsExactlyInAnyOrderElementsOf(expected.nodes());
        assertThat(actual.links()).containsExactlyInAnyOrderElementsOf(expected.links());
    }
}
