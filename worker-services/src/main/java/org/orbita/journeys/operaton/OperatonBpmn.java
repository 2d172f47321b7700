package org.orbita.journeys.operaton;

import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.orbita.journeys.Journey;
import org.orbita.journeys.JourneyBpmn;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * A journey's BPMN for Operaton, made from the same journey model as Zeebe's
 * ({@link JourneyBpmn#toXml}, validated there) with the same elements and ids: a node's service
 * task is done by Orbita's task behaviour for its job type, its settings as the task's
 * properties; the ledger's listeners are execution listeners; timers, waits and branches keep
 * their shapes with Operaton's expressions (JUEL: {@code ${branch == 'yes'}}, {@code ${bestTime}}).
 *
 * <p>Where an instance's state is committed: an entry is stored before any node runs
 * ({@code asyncAfter} on the start), a timer is a job, and an event delivered to a wait is stored
 * before what follows it runs ({@code asyncAfter}); the task nodes from one of those to the next
 * wait or exit run in that job, one transaction (a transaction per node cost four times the
 * engine's work: {@code bench/run engine}). A node that fails fails its job, which is retried
 * three times a second apart, then an incident; the nodes before it in that job are run again
 * by the engine and answered by the journey ledger, which has them done, without doing them twice.
 */
public final class OperatonBpmn {

    public static final String NS = "http://operaton.org/schema/1.0/bpmn";
    static final String ZEEBE_NS = "http://camunda.org/schema/zeebe/1.0";
    static final String BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL";
    /** How a failed job is retried: three times, a second apart (Zeebe's workers failed with growing pauses). */
    static final String RETRIES = "R3/PT1S";
    /** The expression naming the task behaviour of a job type. */
    static String taskExpression(String jobType) {
        return "${orbitaTasks.of('" + jobType + "')}";
    }

    static final String STEP_LISTENER = "${orbitaSteps}";

    private static final Pattern RESUMABLE = Pattern.compile("=if .* else \"([^\"]*)\"");
    private static final Pattern BRANCH = Pattern.compile("=branch = \"([A-Za-z0-9_-]+)\"");

    private OperatonBpmn() {}

    /** The journey as BPMN XML for Operaton (checked as Zeebe's is: Orbita's rules first), its process tagged {@code versionTag} (or not: null). */
    public static String toXml(Journey journey, String versionTag) {
        return convert(JourneyBpmn.toXml(journey), versionTag);
    }

    /** Zeebe's BPMN of a journey made Operaton's. */
    static String convert(String zeebeXml, String versionTag) {
        Document doc = parse(zeebeXml);
        Element definitions = doc.getDocumentElement();
        definitions.setAttributeNS(XMLConstants.XMLNS_ATTRIBUTE_NS_URI, "xmlns:operaton", NS);
        for (Element process : elements(definitions, BPMN_NS, "process")) {
            // the journey ledger keeps what happened; the engine keeps no history of its own
            process.setAttributeNS(NS, "operaton:historyTimeToLive", "P1D");
            if (versionTag != null) {
                process.setAttributeNS(NS, "operaton:versionTag", versionTag);
            }
        }
        for (Element task : elements(definitions, BPMN_NS, "serviceTask")) {
            Element ext = child(task, BPMN_NS, "extensionElements");
            Element def = ext == null ? null : child(ext, ZEEBE_NS, "taskDefinition");
            if (def == null) {
                throw new IllegalArgumentException("service task " + task.getAttribute("id") + " has no job type");
            }
            task.setAttributeNS(NS, "operaton:delegateExpression", taskExpression(def.getAttribute("type")));
            Element headers = child(ext, ZEEBE_NS, "taskHeaders");
            if (headers != null) {
                ext.appendChild(properties(doc, elements(headers, ZEEBE_NS, "header"), "key"));
            }
        }
        for (Element start : elements(definitions, BPMN_NS, "startEvent")) {
            start.setAttributeNS(NS, "operaton:asyncAfter", "true");
            retries(doc, extensionsOf(doc, start));
        }
        for (Element event : elements(definitions, BPMN_NS, "intermediateCatchEvent")) {
            Element ext = extensionsOf(doc, event);
            if (child(event, BPMN_NS, "messageEventDefinition") != null) {
                // an event reaching a wait is stored at once; what follows runs in a job
                event.setAttributeNS(NS, "operaton:asyncAfter", "true");
                arrivals(doc, ext);
            }
            retries(doc, ext);
        }
        for (Element gateway : elements(definitions, BPMN_NS, "eventBasedGateway")) {
            arrivals(doc, extensionsOf(doc, gateway));
        }
        for (Element listeners : elements(definitions, ZEEBE_NS, "executionListeners")) {
            Element ext = (Element) listeners.getParentNode();
            for (Element l : elements(listeners, ZEEBE_NS, "executionListener")) {
                if (!JourneyBpmn.STEP_JOB_TYPE.equals(l.getAttribute("type"))) {
                    throw new IllegalArgumentException("an execution listener of an unknown type " + l.getAttribute("type"));
                }
                Element e = doc.createElementNS(NS, "operaton:executionListener");
                e.setAttribute("event", l.getAttribute("eventType"));
                e.setAttribute("delegateExpression", STEP_LISTENER);
                ext.appendChild(e);
            }
        }
        for (Element props : elements(definitions, ZEEBE_NS, "properties")) {
            props.getParentNode().appendChild(properties(doc, elements(props, ZEEBE_NS, "property"), "name"));
        }
        for (Element d : elements(definitions, BPMN_NS, "timeDuration")) {
            Matcher m = RESUMABLE.matcher(d.getTextContent().strip());
            // an instance is never put back at its timer (the engine keeps it): the duration as written
            d.setTextContent(m.matches() ? m.group(1) : d.getTextContent().strip());
        }
        for (Element d : elements(definitions, BPMN_NS, "timeDate")) {
            String text = d.getTextContent().strip();
            d.setTextContent(text.startsWith("=") ? "${" + text.substring(1) + "}" : text);
        }
        for (Element c : elements(definitions, BPMN_NS, "conditionExpression")) {
            Matcher m = BRANCH.matcher(c.getTextContent().strip());
            if (!m.matches()) {
                throw new IllegalArgumentException("a branch condition Orbita did not write: " + c.getTextContent());
            }
            c.setTextContent("${branch == '" + m.group(1) + "'}");
        }
        // Zeebe's own extensions go: subscriptions (events are correlated by the profile's id in code), definitions, headers
        for (Element z : elements(definitions, ZEEBE_NS, null)) {
            if (z.getParentNode() != null && !ZEEBE_NS.equals(z.getParentNode().getNamespaceURI())) {
                z.getParentNode().removeChild(z);
            }
        }
        return write(doc);
    }

    /** Zeebe's name–value pairs (task headers, properties; the name in {@code nameAttribute}) as Operaton's properties. */
    private static Element properties(Document doc, List<Element> pairs, String nameAttribute) {
        Element properties = doc.createElementNS(NS, "operaton:properties");
        for (Element pair : pairs) {
            Element p = doc.createElementNS(NS, "operaton:property");
            p.setAttribute("name", pair.getAttribute(nameAttribute));
            p.setAttribute("value", pair.getAttribute("value"));
            properties.appendChild(p);
        }
        return properties;
    }

    /** An instance reaching a wait: the events of its profile that came a moment before are offered to it. */
    private static void arrivals(Document doc, Element ext) {
        Element e = doc.createElementNS(NS, "operaton:executionListener");
        e.setAttribute("event", "start");
        e.setAttribute("delegateExpression", ARRIVALS_LISTENER);
        ext.appendChild(e);
    }

    static final String ARRIVALS_LISTENER = "${orbitaArrivals}";

    private static void retries(Document doc, Element ext) {
        Element r = doc.createElementNS(NS, "operaton:failedJobRetryTimeCycle");
        r.setTextContent(RETRIES);
        ext.appendChild(r);
    }

    /** The element's extensionElements, made first when it has none (they come before every other child). */
    private static Element extensionsOf(Document doc, Element e) {
        Element ext = child(e, BPMN_NS, "extensionElements");
        if (ext == null) {
            ext = doc.createElementNS(BPMN_NS, e.getPrefix() == null ? "extensionElements" : e.getPrefix() + ":extensionElements");
            Node first = e.getFirstChild();
            while (first != null && first.getNodeType() != Node.ELEMENT_NODE) {
                first = first.getNextSibling();
            }
            if (first != null && "documentation".equals(first.getLocalName())) {
                first = first.getNextSibling();
            }
            e.insertBefore(ext, first);
        }
        return ext;
    }

    private static Element child(Element parent, String ns, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && ns.equals(e.getNamespaceURI()) && name.equals(e.getLocalName())) {
                return e;
            }
        }
        return null;
    }

    /** Every element below {@code root} in a namespace (with a local name, or any), in document order, as a list that edits do not change. */
    private static List<Element> elements(Element root, String ns, String name) {
        NodeList all = root.getElementsByTagNameNS(ns, name == null ? "*" : name);
        List<Element> out = new ArrayList<>(all.getLength());
        for (int i = 0; i < all.getLength(); i++) {
            out.add((Element) all.item(i));
        }
        return out;
    }

    private static Document parse(String xml) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            DocumentBuilder b = f.newDocumentBuilder();
            return b.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException("the journey's BPMN did not parse", e);
        }
    }

    private static String write(Document doc) {
        try {
            TransformerFactory f = TransformerFactory.newInstance();
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_STYLESHEET, "");
            Transformer t = f.newTransformer();
            t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            StringWriter out = new StringWriter();
            t.transform(new DOMSource(doc), new StreamResult(out));
            return out.toString();
        } catch (Exception e) {
            throw new IllegalStateException("the journey's BPMN did not write", e);
        }
    }
}
