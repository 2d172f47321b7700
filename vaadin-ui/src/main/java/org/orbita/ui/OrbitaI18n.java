package org.orbita.ui;

import com.vaadin.flow.i18n.I18NProvider;
import java.text.MessageFormat;
import java.util.List;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import org.springframework.stereotype.Component;

/**
 * Every UI string comes from the bundles {@code orbita-ui_<lang>.properties}; another
 * language is one more bundle and one more entry in {@link #LOCALES}.
 */
@Component
public class OrbitaI18n implements I18NProvider {

    public static final List<Locale> LOCALES = List.of(Locale.ENGLISH, Locale.forLanguageTag("ru"));

    @Override
    public List<Locale> getProvidedLocales() {
        return LOCALES;
    }

    @Override
    public String getTranslation(String key, Locale locale, Object... params) {
        Locale effective = LOCALES.stream().filter(l -> locale != null && l.getLanguage().equals(locale.getLanguage()))
                .findFirst().orElse(Locale.ENGLISH);
        try {
            String pattern = ResourceBundle.getBundle("orbita-ui", effective,
                    ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES)).getString(key);
            return params.length == 0 ? pattern : new MessageFormat(pattern, effective).format(params);
        } catch (MissingResourceException e) {
            return "!" + key;
        }
    }
}
