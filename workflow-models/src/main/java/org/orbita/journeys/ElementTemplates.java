package org.orbita.journeys;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The catalog's service-task nodes as Camunda 8 element templates (the format Camunda Modeler
 * and bpmn-js read): each binds the job type {@code orbita.<node>} and its settings to task
 * headers, with dropdowns for choices and "not empty" on required settings. The JSON is shipped
 * as {@code element-templates/orbita-nodes.json} for analysts to drop into Modeler.
 */
public final class ElementTemplates {

    public static final String SCHEMA = "https://unpkg.com/@camunda/zeebe-element-templates-json-schema/resources/schema.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ElementTemplates() {}

    public static List<Map<String, Object>> templates() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (NodeType t : NodeCatalog.all()) {
            if (t.jobType() == null) {
                continue;
            }
            Map<String, Object> template = new LinkedHashMap<>();
            template.put("$schema", SCHEMA);
            template.put("name", "Orbita: " + t.label());
            template.put("id", t.jobType());
            template.put("description", t.description());
            template.put("version", 1);
            template.put("appliesTo", List.of("bpmn:Task"));
            template.put("elementType", map("value", "bpmn:ServiceTask"));
            template.put("groups", List.of(map("id", "settings", "label", "Settings")));
            List<Map<String, Object>> properties = new ArrayList<>();
            properties.add(map("type", "Hidden", "value", t.jobType(), "binding", map("type", "zeebe:taskDefinition", "property", "type")));
            for (NodeType.Setting s : t.settings()) {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("label", s.label());
                p.put("description", s.description());
                p.put("group", "settings");
                if (s.type().equals("choice")) {
                    p.put("type", "Dropdown");
                    p.put("choices", s.choices().stream().map(c -> map("name", c, "value", c)).toList());
                    p.put("value", s.choices().get(0));
                } else {
                    p.put("type", s.type().equals("json") || s.type().equals("template") || s.type().equals("condition") ? "Text" : "String");
                }
                p.put("binding", map("type", "zeebe:taskHeader", "key", s.name()));
                if (s.required()) {
                    p.put("constraints", map("notEmpty", true));
                } else {
                    p.put("optional", true);
                }
                properties.add(p);
            }
            template.put("properties", properties);
            out.add(template);
        }
        return out;
    }

    /** A map in the order given (Map.of's order changes from one run to the next, and the shipped file must not). */
    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    /** The templates as the JSON file Modeler reads (an array of templates). */
    public static String json() {
        try {
            return JSON.writeValueAsString(templates()) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the file: {@code java … ElementTemplates <path>} (the build keeps the shipped copy equal to this). */
    public static void main(String[] args) throws IOException {
        Files.writeString(Path.of(args[0]), json());
    }
}
