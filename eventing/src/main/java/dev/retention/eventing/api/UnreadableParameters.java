package dev.retention.eventing.api;

import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.UriInfo;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.List;

/** Finds the query or path parameter of a request whose text cannot be read as the type the resource method takes. */
final class UnreadableParameters {

    private UnreadableParameters() {
    }

    /** The HTTP name of the first such parameter, or null if each reads (or is of a type not checked here). */
    static String first(Method method, UriInfo uri) {
        Annotation[][] annotations = method.getParameterAnnotations();
        Class<?>[] types = method.getParameterTypes();
        for (int i = 0; i < types.length; i++) {
            for (Annotation annotation : annotations[i]) {
                List<String> values = null;
                String name = null;
                if (annotation instanceof QueryParam query) {
                    name = query.value();
                    values = uri.getQueryParameters().get(name);
                } else if (annotation instanceof PathParam path) {
                    name = path.value();
                    values = uri.getPathParameters().get(name);
                }
                Class<?> type = types[i];
                if (values != null && values.stream().anyMatch(value -> !readable(value, type))) {
                    return name;
                }
            }
        }
        return null;
    }

    private static boolean readable(String value, Class<?> type) {
        try {
            if (type == int.class || type == Integer.class) {
                Integer.parseInt(value.strip());
            } else if (type == long.class || type == Long.class) {
                Long.parseLong(value.strip());
            } else if (type == boolean.class || type == Boolean.class) {
                return value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false");
            } else if (type == java.time.Instant.class) {
                java.time.Instant.parse(value);
            } else if (type == java.time.LocalDate.class) {
                java.time.LocalDate.parse(value);
            }
            return true;
        } catch (RuntimeException unreadable) {
            return false;
        }
    }
}
