package dev.autoplane.query.visualization;

import net.sourceforge.plantuml.FileFormat;
import net.sourceforge.plantuml.FileFormatOption;
import net.sourceforge.plantuml.SourceStringReader;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The flow of an automation's published revision as a diagram: what starts it (its triggers, its schedule, the
 * API), the definition it runs, the connections it uses, and where its runs go (push delivery or pull executors).
 * Written as Mermaid source (a flowchart, for clients that render Mermaid) and as SVG rendered by PlantUML (an
 * activity diagram laid out by PlantUML itself, no Graphviz needed).
 */
public final class FlowDiagram {

    /** What the diagram shows. Every label is reduced to printable, diagram-safe text. */
    public record Flow(List<String> sources, String definition, List<String> connections, String delivery) {
    }

    /** The two renderings. */
    public record Rendered(String mermaid, String svg) {
    }

    private FlowDiagram() {
    }

    public static Rendered render(Flow flow) {
        return new Rendered(mermaid(flow), svg(flow));
    }

    static String mermaid(Flow flow) {
        StringBuilder m = new StringBuilder("flowchart LR\n");
        for (int i = 0; i < flow.sources().size(); i++) {
            m.append("  s").append(i).append("([\"").append(label(flow.sources().get(i))).append("\"]) --> d\n");
        }
        m.append("  d[\"").append(label(flow.definition())).append("\"]\n");
        String last = "d";
        if (!flow.connections().isEmpty()) {
            for (int i = 0; i < flow.connections().size(); i++) {
                m.append("  d --> c").append(i).append("[(\"").append(label(flow.connections().get(i))).append("\")]\n");
                m.append("  c").append(i).append(" --> x\n");
            }
            last = null;
        }
        if (last != null) {
            m.append("  d --> x\n");
        }
        m.append("  x[/\"").append(label(flow.delivery())).append("\"/]\n");
        return m.toString();
    }

    static String plantUml(Flow flow) {
        StringBuilder p = new StringBuilder("@startuml\nstart\n");
        if (flow.sources().size() > 1) {
            p.append("split\n");
            for (int i = 0; i < flow.sources().size(); i++) {
                if (i > 0) {
                    p.append("split again\n");
                }
                p.append(":").append(label(flow.sources().get(i))).append(";\n");
            }
            p.append("end split\n");
        } else if (flow.sources().size() == 1) {
            p.append(":").append(label(flow.sources().get(0))).append(";\n");
        }
        p.append(":").append(label(flow.definition())).append(";\n");
        if (flow.connections().size() == 1) {
            p.append(":").append(label(flow.connections().get(0))).append(";\n");
        } else if (flow.connections().size() > 1) {
            p.append("fork\n");
            for (int i = 0; i < flow.connections().size(); i++) {
                if (i > 0) {
                    p.append("fork again\n");
                }
                p.append(":").append(label(flow.connections().get(i))).append(";\n");
            }
            p.append("end fork\n");
        }
        p.append(":").append(label(flow.delivery())).append(";\nstop\n@enduml\n");
        return p.toString();
    }

    static String svg(Flow flow) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            new SourceStringReader(plantUml(flow)).outputImage(out, new FileFormatOption(FileFormat.SVG));
        } catch (IOException e) {
            throw new IllegalStateException("PlantUML could not render the diagram", e);
        }
        String svg = out.toString(StandardCharsets.UTF_8);
        if (!svg.contains("<svg") || svg.contains("Syntax Error")) {
            throw new IllegalStateException("PlantUML did not render the diagram");
        }
        return svg;
    }

    /** Letters, digits, spaces and . _ : / @ - only (nothing a diagram language reads as syntax), at most 80. */
    static String label(String text) {
        String t = text == null ? "" : text.replaceAll("[^\\p{L}\\p{N} ._:/@-]", " ").replaceAll("\\s+", " ").strip();
        return t.length() > 80 ? t.substring(0, 79) + "…" : t;
    }

    /** The sources of a flow, in order: each trigger, the schedule, the API. */
    public static List<String> sources(List<String> triggers, boolean schedule) {
        List<String> s = new ArrayList<>();
        if (schedule) {
            s.add("schedule");
        }
        triggers.forEach(t -> s.add("trigger " + t));
        s.add("API invoke");
        return s;
    }
}
