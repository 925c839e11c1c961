package ai.vidgen.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.gson.annotations.SerializedName;
import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.custom.Quantity;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Kubernetes' own kinds (the core group and the {@code *.k8s.io} and dot-less groups), checked
 * against the API of Kubernetes 1.32 as client-java-api 24's model classes carry it: each class
 * is one OpenAPI definition, with its fields ({@code openapiFields}), the required ones
 * ({@code openapiRequiredFields}) and each field's type. Like {@code kubectl apply
 * --validate=strict}, a field the definition does not list is an error.
 */
final class KubernetesSchema {

    private static final String MODELS = "io.kubernetes.client.openapi.models.";
    private static final Map<Class<?>, Definition> DEFINITIONS = new ConcurrentHashMap<>();

    private record Definition(Set<String> fields, Set<String> required, Map<String, Type> types) {}

    private KubernetesSchema() {}

    /** Whether apiVersion names a group Kubernetes itself serves (not a custom resource's). */
    static boolean isBuiltIn(String apiVersion) {
        int slash = apiVersion.indexOf('/');
        if (slash < 0) {
            return true;
        }
        String group = apiVersion.substring(0, slash);
        return !group.contains(".") || group.endsWith(".k8s.io");
    }

    /** The model class of apiVersion and kind, if Kubernetes 1.32 serves that kind. */
    static Optional<Class<?>> modelOf(String apiVersion, String kind) {
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        String version = capitalize(slash < 0 ? apiVersion : apiVersion.substring(slash + 1));
        String groupPrefix = group.isEmpty() ? "Core" : capitalize(group.split("\\.")[0]);
        // Kinds whose name two groups share carry the group in the class name (CoreV1Event).
        for (String name : List.of(groupPrefix + version + kind, version + kind)) {
            try {
                Class<?> model = Class.forName(MODELS + name);
                if (definition(model) != null) {
                    return Optional.of(model);
                }
            } catch (ClassNotFoundException e) {
                // try the next spelling
            }
        }
        return Optional.empty();
    }

    /** The problems of object against model, each "path: what is wrong". */
    static List<String> problems(JsonNode object, Class<?> model) {
        List<String> problems = new ArrayList<>();
        check(object, model, "", problems);
        return problems;
    }

    private static void check(JsonNode value, Type type, String path, List<String> problems) {
        if (value == null || value.isNull()) {
            return; // a null field is an absent one
        }
        if (type instanceof ParameterizedType generic) {
            Type raw = generic.getRawType();
            Type[] arguments = generic.getActualTypeArguments();
            if (raw == List.class) {
                if (!value.isArray()) {
                    problems.add(at(path) + ": must be array");
                    return;
                }
                for (int i = 0; i < value.size(); i++) {
                    check(value.get(i), arguments[0], path + "[" + i + "]", problems);
                }
            } else if (raw == Map.class) {
                if (!value.isObject()) {
                    problems.add(at(path) + ": must be object");
                    return;
                }
                value.fields().forEachRemaining(e -> check(e.getValue(), arguments[1], child(path, e.getKey()), problems));
            } else {
                throw new IllegalStateException("unexpected field type " + type + " at " + at(path));
            }
            return;
        }
        Class<?> kind = (Class<?>) type;
        if (kind == String.class || kind == OffsetDateTime.class || kind == byte[].class) {
            expect(value.isTextual(), "string", path, problems);
        } else if (kind == Integer.class || kind == Long.class) {
            expect(value.isIntegralNumber(), "integer", path, problems);
        } else if (kind == Boolean.class) {
            expect(value.isBoolean(), "boolean", path, problems);
        } else if (kind == Double.class || kind == Float.class || kind == BigDecimal.class) {
            expect(value.isNumber(), "number", path, problems);
        } else if (kind == IntOrString.class) {
            expect(value.isTextual() || value.isIntegralNumber(), "integer or string", path, problems);
        } else if (kind == Quantity.class) {
            expect(value.isTextual() || value.isNumber(), "quantity (string or number)", path, problems);
        } else if (kind == Object.class) {
            // free-form (RawExtension and the like)
        } else {
            Definition definition = definition(kind);
            if (definition == null) {
                throw new IllegalStateException("no schema for field type " + kind.getName() + " at " + at(path));
            }
            if (!value.isObject()) {
                problems.add(at(path) + ": must be object");
                return;
            }
            for (String required : definition.required()) {
                if (!value.has(required) || value.get(required).isNull()) {
                    problems.add(at(path) + ": missing required field \"" + required + "\"");
                }
            }
            value.fields().forEachRemaining(e -> {
                String field = child(path, e.getKey());
                if (!definition.fields().contains(e.getKey())) {
                    problems.add(field + ": unknown field (not in " + kind.getSimpleName() + " of Kubernetes 1.32)");
                } else {
                    check(e.getValue(), definition.types().get(e.getKey()), field, problems);
                }
            });
        }
    }

    private static Definition definition(Class<?> model) {
        if (!model.getName().startsWith(MODELS)) {
            return null;
        }
        return DEFINITIONS.computeIfAbsent(model, KubernetesSchema::read);
    }

    @SuppressWarnings("unchecked")
    private static Definition read(Class<?> model) {
        try {
            Set<String> fields = (Set<String>) model.getField("openapiFields").get(null);
            Set<String> required = (Set<String>) model.getField("openapiRequiredFields").get(null);
            Map<String, Type> types = new HashMap<>();
            for (Field field : model.getDeclaredFields()) {
                SerializedName name = field.getAnnotation(SerializedName.class);
                if (name != null && !Modifier.isStatic(field.getModifiers())) {
                    types.put(name.value(), field.getGenericType());
                }
            }
            if (!types.keySet().containsAll(fields)) {
                throw new IllegalStateException(model.getSimpleName() + " lists fields it has no type for");
            }
            return new Definition(Set.copyOf(fields), Set.copyOf(required), Map.copyOf(types));
        } catch (NoSuchFieldException e) {
            return null; // not a generated definition
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void expect(boolean ok, String type, String path, List<String> problems) {
        if (!ok) {
            problems.add(at(path) + ": must be " + type);
        }
    }

    private static String child(String path, String key) {
        return key.matches("[A-Za-z_$][A-Za-z0-9_$-]*") ? path + "." + key : path + "[\"" + key + "\"]";
    }

    private static String at(String path) {
        return path.isEmpty() ? "." : path;
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
    }
}
