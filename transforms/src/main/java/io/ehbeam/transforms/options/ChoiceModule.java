package io.ehbeam.transforms.options;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleDeserializers;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;

/**
 * Reads every {@link Choice.Word} enum as users write it ({@link Choice#parse}). Beam's options
 * parsing registers the Jackson modules it finds through {@code META-INF/services}, so this one
 * class serves every closed-set option. Only reading changes: written options keep Jackson's
 * constant names, which any JVM reads back, with or without this module.
 */
public final class ChoiceModule extends SimpleModule {
  private static final long serialVersionUID = 1L;

  public ChoiceModule() {
    super("ehbeam-choices");
    setDeserializers(new SimpleDeserializers() {
      private static final long serialVersionUID = 1L;

      @Override
      public JsonDeserializer<?> findEnumDeserializer(
          Class<?> type, DeserializationConfig config, BeanDescription description) {
        return Choice.Word.class.isAssignableFrom(type) ? new WordDeserializer(type) : null;
      }
    });
  }

  private static final class WordDeserializer extends StdScalarDeserializer<Object> {
    private static final long serialVersionUID = 1L;

    WordDeserializer(Class<?> type) {
      super(type);
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Object deserialize(JsonParser parser, DeserializationContext context) throws IOException {
      return Choice.parse((Class) handledType(), parser.getValueAsString());
    }
  }
}
