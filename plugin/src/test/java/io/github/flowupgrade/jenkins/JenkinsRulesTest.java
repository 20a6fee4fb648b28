package io.github.flowupgrade.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.Extension;
import hudson.model.Descriptor;
import java.beans.Introspector;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Rules that a real Jenkins (and its plugin build) enforces on the plugin's views and packaging, checked without
 * Jenkins. Every form is found by itself: each concrete class of the plugin with an {@code @Extension} descriptor and a
 * {@code config.jelly}, with the pages its view includes. Each rule names the real source it comes from
 * (jenkinsci/jenkins at jenkins-2.541.3 unless said otherwise).
 */
class JenkinsRulesTest {
    private static final String FORM = "/lib/form";
    private static final String CREDENTIALS = "/lib/credentials";
    private static final String STAPLER = "jelly:stapler";

    /** A describable class's form: its view with the included pages, and its descriptor. */
    record Form(Class<?> type, Descriptor<?> descriptor, List<View> views) {
        @Override
        public String toString() {
            return type.getSimpleName();
        }

        /** The fields the form binds, in page order, with the input elements that show them. */
        Map<String, List<Element>> fields() {
            Map<String, List<Element>> fields = new LinkedHashMap<>();
            for (View view : views) {
                for (Element input : view.inputs()) {
                    fields.computeIfAbsent(fieldOf(input), f -> new ArrayList<>())
                            .add(input);
                }
            }
            return fields;
        }
    }

    /** One jelly page: the class folder it lives in, its name, and its parsed XML. */
    record View(Class<?> owner, String name, Document xml) {
        /** The form controls that bind a {@code field}, given on them or on their {@code f:entry}. */
        List<Element> inputs() {
            List<Element> inputs = new ArrayList<>();
            for (Element e : elements(xml.getDocumentElement())) {
                boolean control = FORM.equals(e.getNamespaceURI()) || CREDENTIALS.equals(e.getNamespaceURI());
                boolean wrapper = Set.of("entry", "option").contains(e.getLocalName());
                if (control && !wrapper && fieldOf(e) != null) {
                    inputs.add(e);
                }
            }
            return inputs;
        }
    }

    // ---- packaging ----------------------------------------------------------------------------------------------

    /**
     * jenkinsci/maven-hpi-plugin {@code src/main/java/org/jenkinsci/maven/plugins/hpi/HpiMojo.java}: the {@code hpi}
     * goal fails without {@code index.jelly} in the classes directory ("Delete any &lt;description&gt; from pom.xml
     * and create src/main/resources/index.jelly").
     */
    @Test
    void thePluginDescriptionIsIndexJellyAndThePomHasNone() throws Exception {
        Path index = PluginClasses.root().resolve("index.jelly");
        assertThat(index).as("index.jelly in the classes directory").isRegularFile();
        assertThat(Files.readString(index)).startsWith("<?jelly escape-by-default='true'?>");
        Document pom = parse(Files.readString(Path.of("pom.xml")));
        assertThat(children(pom.getDocumentElement(), "description"))
                .as("<description> in plugin/pom.xml")
                .isEmpty();
    }

    // ---- forms ----------------------------------------------------------------------------------------------------

    static List<Form> forms() throws Exception {
        List<Form> forms = new ArrayList<>();
        for (Class<?> type : PluginClasses.all()) {
            Class<?> descriptorType = descriptorOf(type);
            if (descriptorType == null || Modifier.isAbstract(type.getModifiers())) {
                continue;
            }
            String config = resource(type, "config.jelly");
            if (config == null) {
                continue;
            }
            List<View> views = new ArrayList<>();
            addView(views, type, "config.jelly");
            Descriptor<?> descriptor =
                    (Descriptor<?>) descriptorType.getDeclaredConstructor().newInstance();
            forms.add(new Form(type, descriptor, views));
        }
        return forms;
    }

    @Test
    void everyStepHasAForm() throws Exception {
        Set<String> withForms = new TreeSet<>();
        forms().forEach(f -> withForms.add(f.type().getSimpleName()));
        Set<String> steps = new TreeSet<>();
        PluginClasses.concrete(FlowStep.class).forEach(c -> steps.add(c.getSimpleName()));

        assertThat(steps).isNotEmpty();
        assertThat(withForms).containsAll(steps);
    }

    /**
     * {@code core/src/main/resources/lib/form/select.jelly} calls {@code descriptor.calcFillSettings(field, attrs)} and
     * never renders its body; {@code core/src/main/java/hudson/model/Descriptor.java} {@code calcFillSettings} throws
     * {@code IllegalStateException} when the descriptor has no public {@code doFill<Field>Items}. The credentials
     * plugin's {@code c:select} ({@code src/main/resources/lib/credentials/select.jelly}) is an {@code f:select}.
     */
    @ParameterizedTest
    @MethodSource("forms")
    void everySelectFieldIsFilledByItsDescriptor(Form form) {
        form.fields().forEach((field, inputs) -> {
            for (Element input : inputs) {
                if (isSelect(input)) {
                    String fill = "doFill" + capitalize(field) + "Items";
                    assertThat(publicMethod(form.descriptor().getClass(), fill))
                            .as(form + ": " + fill + " for the select of field " + field)
                            .isNotNull();
                    assertThat(elements(input))
                            .as(form + ": f:option children of the select of " + field + " are never rendered")
                            .noneMatch(e -> "option".equals(e.getLocalName()));
                }
            }
        });
    }

    /**
     * {@code field=} binds in both directions: the form shows {@code instance[field]} ({@code lib/form/entry.jelly}
     * and the input tags read the bean property: a public getter {@code getX}/{@code isX}), and Stapler sets it from
     * a {@code @DataBoundConstructor} parameter or a {@code @DataBoundSetter} (jenkinsci/stapler
     * {@code core/src/main/java/org/kohsuke/stapler/RequestImpl.java} {@code bindJSON}).
     */
    @ParameterizedTest
    @MethodSource("forms")
    void everyFieldHasAGetterAndIsBound(Form form) {
        Set<String> bound = boundParameters(form.type());
        for (String field : form.fields().keySet()) {
            assertThat(getter(form.type(), field))
                    .as(form + ": getter of field " + field)
                    .isNotNull();
            assertThat(bound)
                    .as(form + ": field " + field + " bound by the constructor or a setter")
                    .contains(field);
        }
    }

    /**
     * The Snippet Generator can offer every parameter: each bound parameter has a field in the form, and a help file
     * where {@code core/src/main/java/hudson/model/Descriptor.java} {@code getHelpFile(Klass, String)} looks for it
     * ({@code help-<field>.html} in the folder of the class or of one of its ancestors); each step has its
     * {@code help.html}.
     */
    @ParameterizedTest
    @MethodSource("forms")
    void everyParameterHasAFieldAndHelp(Form form) throws IOException {
        Set<String> fields = form.fields().keySet();
        assertThat(helpFile(form.type(), "help.html")).as(form + "/help.html").isNotNull();
        for (String parameter : boundParameters(form.type())) {
            assertThat(fields).as(form + ": a field for parameter " + parameter).contains(parameter);
        }
        for (String field : fields) {
            assertThat(helpFile(form.type(), "help-" + field + ".html"))
                    .as(form + ": help-" + field + ".html")
                    .isNotNull()
                    .contains("<div>");
        }
    }

    /**
     * The other way round: a {@code help-<name>.html} is shown only next to a field of that name
     * ({@code Descriptor.getHelpFile}); one that names no field of any form that looks it up is dead, usually a field
     * renamed.
     */
    @Test
    void everyHelpFileNamesAField() throws Exception {
        List<Form> forms = forms();
        List<String> orphans = new ArrayList<>();
        try (Stream<Path> files = Files.walk(PluginClasses.packageDir())) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("help-.+\\.html"))
                    .toList()) {
                String folder = file.getParent().getFileName().toString();
                String field = file.getFileName().toString().replaceAll("^help-|\\.html$", "");
                boolean used = forms.stream()
                        .filter(f -> ancestors(f.type()).stream()
                                .anyMatch(c -> c.getSimpleName().equals(folder)))
                        .anyMatch(f -> f.fields().containsKey(field));
                if (!used) {
                    orphans.add(folder + "/" + file.getFileName());
                }
            }
        }
        assertThat(orphans).isEmpty();
    }

    /**
     * A field's default is what a new form shows ({@code core/src/main/resources/lib/form/textbox.jelly},
     * {@code number.jelly}: {@code default} when {@code instance[field]} is null), and the form checks it at once
     * with the descriptor's {@code doCheck<Field>} ({@code Descriptor.getCheckUrl}); a default its own check calls an
     * error greets every user of the Snippet Generator with a red field.
     */
    @ParameterizedTest
    @MethodSource("forms")
    void everyDefaultPassesItsFieldsOwnCheck(Form form) throws Exception {
        for (Map.Entry<String, List<Element>> field : form.fields().entrySet()) {
            for (Element input : field.getValue()) {
                String value = input.getAttribute("default");
                Method check = publicMethod(form.descriptor().getClass(), "doCheck" + capitalize(field.getKey()));
                if (value.isEmpty() || check == null) {
                    continue;
                }
                assertThat(FormChecks.outcome(form.descriptor(), check, value))
                        .as(form + ": doCheck" + capitalize(field.getKey()) + "(\"" + value + "\"), the form's default")
                        .isNotEqualTo("ERROR");
            }
        }
    }

    /** Every page with a {@code field=} belongs to a form this test knows; otherwise its fields go unchecked. */
    @Test
    void everyPageWithFieldsIsPartOfAForm() throws Exception {
        Set<String> inForms = new TreeSet<>();
        for (Form form : forms()) {
            form.views().forEach(v -> inForms.add(v.owner().getSimpleName() + "/" + v.name()));
        }
        Set<String> withFields = new TreeSet<>();
        try (Stream<Path> files = Files.walk(PluginClasses.packageDir())) {
            for (Path file : files.filter(f -> f.toString().endsWith(".jelly")).toList()) {
                if (Files.readString(file).contains("field=")) {
                    withFields.add(file.getParent().getFileName() + "/" + file.getFileName());
                }
            }
        }
        assertThat(withFields).isNotEmpty();
        assertThat(inForms).containsAll(withFields);
    }

    // ---- helpers ----------------------------------------------------------------------------------------------------

    /** The nested {@code @Extension} descriptor of {@code type}, or null. */
    private static Class<?> descriptorOf(Class<?> type) {
        for (Class<?> nested : type.getDeclaredClasses()) {
            if (nested.isAnnotationPresent(Extension.class) && Descriptor.class.isAssignableFrom(nested)) {
                return nested;
            }
        }
        return null;
    }

    /** Adds the page and, recursively, the pages it includes ({@code st:include page=... class=...}). */
    private static void addView(List<View> views, Class<?> owner, String page) throws Exception {
        String text = resource(owner, page);
        assertThat(text).as(owner.getSimpleName() + "/" + page).isNotNull();
        View view = new View(owner, page, parse(text));
        views.add(view);
        for (Element e : elements(view.xml().getDocumentElement())) {
            if (STAPLER.equals(e.getNamespaceURI()) && "include".equals(e.getLocalName())) {
                String className = e.getAttribute("class");
                Class<?> from = className.isEmpty() ? owner : Class.forName(className);
                addView(views, from, e.getAttribute("page"));
            }
        }
    }

    private static boolean isSelect(Element e) {
        return "select".equals(e.getLocalName())
                && (FORM.equals(e.getNamespaceURI()) || CREDENTIALS.equals(e.getNamespaceURI()));
    }

    /** The field an input element binds: its own {@code field}, else that of its {@code f:entry}; null for neither. */
    private static String fieldOf(Element e) {
        if (!e.getAttribute("field").isEmpty()) {
            return e.getAttribute("field");
        }
        for (Node n = e.getParentNode(); n instanceof Element parent; n = parent.getParentNode()) {
            if (FORM.equals(parent.getNamespaceURI()) && "entry".equals(parent.getLocalName())) {
                return parent.getAttribute("field").isEmpty() ? null : parent.getAttribute("field");
            }
        }
        return null;
    }

    /** The parameters Stapler binds: the {@code @DataBoundConstructor}'s and the {@code @DataBoundSetter}s'. */
    static Set<String> boundParameters(Class<?> type) {
        Set<String> names = new TreeSet<>();
        for (Constructor<?> c : type.getConstructors()) {
            if (c.isAnnotationPresent(DataBoundConstructor.class)) {
                for (Parameter p : c.getParameters()) {
                    assertThat(p.isNamePresent())
                            .as("parameter names compiled in (-parameters)")
                            .isTrue();
                    names.add(p.getName());
                }
            }
        }
        for (Method m : type.getMethods()) {
            if (m.isAnnotationPresent(DataBoundSetter.class)
                    && m.getName().startsWith("set")
                    && m.getParameterCount() == 1) {
                names.add(Introspector.decapitalize(m.getName().substring(3)));
            }
        }
        return names;
    }

    private static Method getter(Class<?> type, String field) {
        Method get = publicMethod(type, "get" + capitalize(field));
        if (get != null && get.getParameterCount() == 0) {
            return get;
        }
        Method is = publicMethod(type, "is" + capitalize(field));
        return is != null && is.getParameterCount() == 0 && is.getReturnType() == boolean.class ? is : null;
    }

    /** A public method by name, declared or inherited (as {@code ReflectionUtils.getPublicMethodNamed} finds it). */
    private static Method publicMethod(Class<?> type, String name) {
        for (Method m : type.getMethods()) {
            if (m.getName().equals(name)) {
                return m;
            }
        }
        return null;
    }

    private static List<Class<?>> ancestors(Class<?> type) {
        List<Class<?>> ancestors = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            ancestors.add(c);
        }
        return ancestors;
    }

    private static String helpFile(Class<?> type, String name) throws IOException {
        for (Class<?> c : ancestors(type)) {
            String text = resource(c, name);
            if (text != null) {
                return text;
            }
        }
        return null;
    }

    private static String resource(Class<?> owner, String name) throws IOException {
        try (InputStream in = owner.getResourceAsStream(owner.getSimpleName() + "/" + name)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String capitalize(String field) {
        return Character.toUpperCase(field.charAt(0)) + field.substring(1);
    }

    static Document parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder()
                .parse(new java.io.ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<Element> elements(Element root) {
        List<Element> all = new ArrayList<>();
        NodeList nodes = root.getElementsByTagNameNS("*", "*");
        for (int i = 0; i < nodes.getLength(); i++) {
            all.add((Element) nodes.item(i));
        }
        return all;
    }

    private static List<Element> children(Element parent, String localName) {
        List<Element> found = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && localName.equals(e.getLocalName())) {
                found.add(e);
            }
        }
        return found;
    }

    /** Calls a descriptor's {@code doCheck} method as the form does, with only its value. */
    static final class FormChecks {
        private FormChecks() {}

        /**
         * {@code OK}, {@code WARNING} or {@code ERROR}. Against the real API that is the returned FormValidation's
         * {@code kind}; against the compile-only mirror, whose factories throw, it is the factory the check called
         * ({@code FormValidation.ok}, {@code warning} or {@code error}).
         */
        static String outcome(Object descriptor, Method check, String value) throws Exception {
            Object[] args = new Object[check.getParameterCount()];
            boolean valueGiven = false;
            for (int i = 0; i < args.length; i++) {
                Parameter p = check.getParameters()[i];
                QueryParameter query = p.getAnnotation(QueryParameter.class);
                String name = query == null || query.value().isEmpty() ? p.getName() : query.value();
                if (query != null && name.equals("value")) {
                    args[i] = value;
                    valueGiven = true;
                }
            }
            assertThat(valueGiven).as(check + " takes @QueryParameter value").isTrue();
            try {
                Object validation = check.invoke(descriptor, args);
                return String.valueOf(validation.getClass().getField("kind").get(validation));
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                StackTraceElement top = cause.getStackTrace()[0];
                if (cause instanceof UnsupportedOperationException
                        && top.getClassName().equals("hudson.util.FormValidation")) {
                    return top.getMethodName().toUpperCase(java.util.Locale.ROOT);
                }
                throw e;
            }
        }
    }
}
