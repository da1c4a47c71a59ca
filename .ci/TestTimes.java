import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Where a test run's time went, from the Surefire reports it left (target/surefire-reports/TEST-*.xml of every
 * module): seconds per module, then the slowest test classes and the slowest single tests. Run from the root after
 * {@code ./mvnw -B verify}: {@code java .ci/TestTimes.java [how many, default 15]}. .ci/run prints it after every run.
 */
public class TestTimes {

    record Timed(String module, String name, double seconds) {
    }

    public static void main(String[] args) throws Exception {
        int shown = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        List<Timed> classes = new ArrayList<>();
        List<Timed> tests = new ArrayList<>();
        Map<String, Double> modules = new TreeMap<>();
        List<Path> reports;
        try (Stream<Path> files = Files.find(Path.of("."), 4, (p, a) -> p.getFileName().toString().startsWith("TEST-")
                && p.getFileName().toString().endsWith(".xml") && p.getParent().endsWith(Path.of("target", "surefire-reports")))) {
            reports = files.sorted().toList();
        }
        var builder = DocumentBuilderFactory.newInstance().newDocumentBuilder();
        for (Path report : reports) {
            String module = report.normalize().getName(0).toString();
            Element suite = builder.parse(report.toFile()).getDocumentElement();
            double seconds = seconds(suite.getAttribute("time"));
            String suiteName = simple(suite.getAttribute("name"));
            classes.add(new Timed(module, suiteName, seconds));
            modules.merge(module, seconds, Double::sum);
            NodeList cases = suite.getElementsByTagName("testcase");
            for (int i = 0; i < cases.getLength(); i++) {
                Element test = (Element) cases.item(i);
                tests.add(new Timed(module, simple(test.getAttribute("classname")) + "#" + test.getAttribute("name"),
                        seconds(test.getAttribute("time"))));
            }
        }
        if (reports.isEmpty()) {
            System.out.println("no Surefire reports under ./*/target/surefire-reports");
            return;
        }
        System.out.println("---- test time per module (s, the classes' own times, without compiling and packaging) ----");
        modules.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> System.out.printf("%8.1f  %s%n", e.getValue(), e.getKey()));
        System.out.printf("%8.1f  all %d classes, %d tests%n", modules.values().stream().mapToDouble(d -> d).sum(),
                classes.size(), tests.size());
        print("slowest test classes", classes, shown);
        print("slowest tests", tests, shown);
    }

    private static void print(String title, List<Timed> timed, int shown) {
        System.out.println("---- " + title + " (s) ----");
        timed.stream().sorted(Comparator.comparingDouble(Timed::seconds).reversed()).limit(shown)
                .forEach(t -> System.out.printf("%8.1f  %s  %s%n", t.seconds(), t.module(), t.name()));
    }

    private static double seconds(String value) {
        return value == null || value.isBlank() ? 0 : Double.parseDouble(value.replace(",", ""));
    }

    private static String simple(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }
}
