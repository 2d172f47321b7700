package org.orbita.ui.segments;

import com.vaadin.flow.component.AbstractField;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.contextmenu.MenuItem;
import com.vaadin.flow.component.contextmenu.SubMenu;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.combobox.MultiSelectComboBox;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.menubar.MenuBar;
import com.vaadin.flow.component.menubar.MenuBarVariant;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.orbita.audiences.Condition;
import org.orbita.audiences.Condition.Operator;
import org.orbita.audiences.Segment;
import org.orbita.audiences.SegmentCheck;
import org.orbita.profiles.Channel;
import org.orbita.profiles.DatabaseSchema;
import org.orbita.profiles.FieldDefinition;

/**
 * The visual condition builder: a group (all / any / none of) of rows, each a condition on a
 * field (operators offered by the field's type), a subscription, an event, an aggregate,
 * the last event, a related profile, another segment, or a custom rule; groups nest. It
 * reads a definition in and writes one out; {@code onChange} hears every edit.
 *
 * <p>Longer than the ~400 lines we aim for: one editor for every condition kind; each kind's row
 * is a few lines of it.
 */
public final class ConditionBuilder extends VerticalLayout {

    private final DatabaseSchema schema;
    private final List<Segment> others;
    private final Runnable onChange;
    private final boolean fieldsOnly;
    private final Select<Condition.Match> match = new Select<>();
    private final VerticalLayout rows = new VerticalLayout();
    private final List<Supplier<Condition>> values = new ArrayList<>();
    /** Event types the database has seen, each with its properties: offered in the behaviour rows (others can be typed). */
    private Map<String, List<String>> seen = Map.of();

    /** Promo code pools offered in the promo code rows (others can be typed). */
    private List<String> pools = List.of();

    /** Offers these promo code pools (their ids) in the promo code rows. */
    public ConditionBuilder offeringPools(List<String> ids) {
        this.pools = List.copyOf(ids);
        return this;
    }

    /** Offers these event types and their properties in the behaviour rows (from {@code EventCatalog}). */
    public ConditionBuilder offering(Map<String, List<String>> events) {
        this.seen = Map.copyOf(events);
        return this;
    }

    public ConditionBuilder(DatabaseSchema schema, List<Segment> others, Runnable onChange, boolean fieldsOnly) {
        this.schema = schema;
        this.others = others;
        this.onChange = onChange;
        this.fieldsOnly = fieldsOnly;
        setPadding(false);
        setSpacing(false);
        addClassName("condition-group");
        getStyle().set("border-left", "3px solid var(--lumo-primary-color-50pct)").set("padding-left", "var(--lumo-space-s)");
        match.setItems(Condition.Match.values());
        match.setItemLabelGenerator(m -> m == null ? "" : getTranslation("segments.match." + m.id()));
        match.setValue(Condition.Match.ALL);
        match.addValueChangeListener(e -> onChange.run());
        match.setWidth("min(14em, 100%)");
        rows.setPadding(false);
        rows.setSpacing(false);

        MenuBar add = new MenuBar();
        add.addThemeVariants(MenuBarVariant.LUMO_TERTIARY, MenuBarVariant.LUMO_SMALL);
        MenuItem item = add.addItem(VaadinIcon.PLUS.create());
        item.add(new Span(getTranslation("segments.add")));
        SubMenu menu = item.getSubMenu();
        menu.addItem(getTranslation("segments.kind.field"), e -> addRow(new FieldRow(null)));
        if (!fieldsOnly) {
            menu.addItem(getTranslation("segments.kind.event"), e -> addRow(new EventRow(null)));
            menu.addItem(getTranslation("segments.kind.aggregate"), e -> addRow(new AggregateRow(null)));
            menu.addItem(getTranslation("segments.kind.last_event"), e -> addRow(new LastEventRow(null)));
            menu.addItem(getTranslation("segments.kind.subscription"), e -> addRow(new SubscriptionRow(null)));
            menu.addItem(getTranslation("segments.kind.relation"), e -> addRow(new RelationRow(null)));
            menu.addItem(getTranslation("segments.kind.segment"), e -> addRow(new SegmentRow(null)));
            menu.addItem(getTranslation("segments.kind.promo"), e -> addRow(new PromoRow(null)));
            menu.addItem(getTranslation("segments.kind.custom"), e -> addRow(new CustomRow(null)));
        }
        menu.addItem(getTranslation("segments.kind.group"), e -> {
            ConditionBuilder nested = new ConditionBuilder(schema, others, onChange, fieldsOnly).offering(seen).offeringPools(pools);
            addRow(nested);
        });
        add(match, rows, add);
    }

    /** Shows a definition (a group, or a single condition wrapped in "all of"). */
    public void read(Condition definition) {
        rows.removeAll();
        values.clear();
        if (definition instanceof Condition.Group g) {
            match.setValue(g.match() == null ? Condition.Match.ALL : g.match());
            g.conditions().forEach(this::addFor);
        } else if (definition != null) {
            match.setValue(Condition.Match.ALL);
            addFor(definition);
        }
    }

    private void addFor(Condition c) {
        switch (c) {
            case Condition.Group g -> {
                ConditionBuilder nested = new ConditionBuilder(schema, others, onChange, fieldsOnly).offering(seen).offeringPools(pools);
                nested.read(g);
                addRow(nested);
            }
            case Condition.Field f -> addRow(new FieldRow(f));
            case Condition.Did d -> addRow(new EventRow(d));
            case Condition.Aggregate a -> addRow(new AggregateRow(a));
            case Condition.LastEvent l -> addRow(new LastEventRow(l));
            case Condition.Subscribed s -> addRow(new SubscriptionRow(s));
            case Condition.Related r -> addRow(new RelationRow(r));
            case Condition.InSegment s -> addRow(new SegmentRow(s));
            case Condition.Custom x -> addRow(new CustomRow(x));
            case Condition.Promo x -> addRow(new PromoRow(x));
        }
    }

    /** The definition as built (conditions left empty are passed on for the checks to name). */
    public Condition value() {
        List<Condition> out = new ArrayList<>();
        values.forEach(v -> out.add(v.get()));
        return new Condition.Group(match.getValue(), out);
    }

    private void addRow(Component row) {
        if (row instanceof Row r) {
            r.labelFields();
        }
        Supplier<Condition> value = row instanceof ConditionBuilder b ? b::value : ((Row) row)::value;
        Button remove = new Button(VaadinIcon.CLOSE_SMALL.create());
        remove.addThemeVariants(ButtonVariant.LUMO_TERTIARY_INLINE, ButtonVariant.LUMO_ERROR);
        remove.getElement().setAttribute("title", getTranslation("segments.remove"));
        HorizontalLayout line = new HorizontalLayout(row, remove);
        line.setAlignItems(FlexComponent.Alignment.BASELINE);
        line.setWidthFull();
        line.expand(row);
        line.addClassName("condition-row");
        rows.add(line);
        values.add(value);
        remove.addClickListener(e -> {
            rows.remove(line);
            values.remove(value);
            onChange.run();
        });
        onChange.run();
    }

    /** One condition row. */
    private abstract class Row extends HorizontalLayout {
        Row() {
            setAlignItems(FlexComponent.Alignment.BASELINE);
            getStyle().set("flex-wrap", "wrap");
        }

        abstract Condition value();

        /** Placeholders vanish once a value is typed: show them as labels too, so a filled row still reads. */
        void labelFields() {
            getChildren().forEach(c -> {
                if (c instanceof TextField t && t.getPlaceholder() != null) {
                    t.setLabel(t.getPlaceholder());
                } else if (c instanceof IntegerField i && i.getPlaceholder() != null) {
                    i.setLabel(i.getPlaceholder());
                } else if (c instanceof Select<?> s && s.getPlaceholder() != null) {
                    s.setLabel(s.getPlaceholder());
                }
            });
        }

        <C extends AbstractField<?, ?>> C watch(C c) {
            c.addValueChangeListener(e -> onChange.run());
            return c;
        }

        Span label(String key) {
            Span s = new Span(getTranslation(key));
            s.getStyle().set("font-weight", "600");
            return s;
        }
    }

    private static Integer number(IntegerField f) {
        return f.getValue();
    }

    private static Object parsed(String text) {
        if (text == null) {
            return null;
        }
        String t = text.strip();
        if (t.matches("-?\\d+(\\.\\d+)?")) {
            return new BigDecimal(t);
        }
        if (t.equals("true") || t.equals("false")) {
            return Boolean.parseBoolean(t);
        }
        return t;
    }

    /** A picker of offered names that also takes a name typed in (a type not seen yet). */
    private static ComboBox<String> typed(ComboBox<String> c) {
        c.setAllowCustomValue(true);
        c.setClearButtonVisible(true);
        c.addCustomValueSetListener(e -> set(c, e.getDetail()));
        return c;
    }

    /** Sets a picker's value, adding it to the offered names when it is not among them. */
    private static void set(ComboBox<String> c, String value) {
        if (value == null || value.isBlank()) {
            c.clear();
            return;
        }
        List<String> items = new ArrayList<>(c.getListDataView().getItems().toList());
        if (!items.contains(value)) {
            items.add(value);
            c.setItems(items);
        }
        c.setValue(value);
    }

    private static String shown(Object v) {
        return v == null ? "" : v instanceof BigDecimal b ? b.toPlainString() : String.valueOf(v);
    }

    private final class FieldRow extends Row {
        final Select<FieldDefinition> field = watch(new Select<>());
        final Select<Operator> op = watch(new Select<>());
        final TextField value = watch(new TextField());
        final IntegerField days = watch(new IntegerField());
        /** An enum field's values to pick from, one or several by the operator. */
        final ComboBox<String> choice = watch(new ComboBox<>());
        final MultiSelectComboBox<String> choices = watch(new MultiSelectComboBox<>());

        FieldRow(Condition.Field c) {
            field.setItems(schema.fields());
            field.setItemLabelGenerator(f -> f == null ? "" : f.label() == null ? f.name() : f.label() + " (" + f.name() + ")");
            field.setPlaceholder(getTranslation("segments.field"));
            op.setItemLabelGenerator(o -> o == null ? "" : getTranslation("segments.op." + o.id()));
            op.setPlaceholder(getTranslation("segments.op"));
            value.setPlaceholder(getTranslation("segments.value"));
            days.setPlaceholder(getTranslation("segments.days"));
            days.setWidth("7em");
            field.addValueChangeListener(e -> {
                op.setItems(e.getValue() == null ? List.of() : List.copyOf(SegmentCheck.operators(e.getValue().type())));
                List<String> options = enumValues();
                choice.setItems(options == null ? List.of() : options);
                choices.setItems(options == null ? List.of() : options);
                update();
            });
            op.addValueChangeListener(e -> update());
            choice.setPlaceholder(getTranslation("segments.value"));
            choices.setPlaceholder(getTranslation("segments.value"));
            choices.setWidth("min(16em, 100%)");
            add(label("segments.kind.field"), field, op, value, choice, choices, days);
            if (c != null) {
                schema.field(c.field()).ifPresent(field::setValue);
                op.setValue(c.op());
                value.setValue(c.values() != null ? String.join(", ", c.values().stream().map(ConditionBuilder::shown).toList())
                        : shown(c.value()));
                days.setValue(c.days());
                if (enumValues() != null) {
                    if (c.values() != null) {
                        choices.setValue(new java.util.LinkedHashSet<>(c.values().stream().map(ConditionBuilder::shown).toList()));
                    } else if (c.value() != null) {
                        choice.setValue(shown(c.value()));
                    }
                }
            }
            update();
        }

        /** The values of an enum field with a list of them, else null. */
        private List<String> enumValues() {
            FieldDefinition f = field.getValue();
            return f != null && f.type() == org.orbita.profiles.FieldType.ENUM && f.values() != null && !f.values().isEmpty() ? f.values() : null;
        }

        private void update() {
            Operator o = op.getValue();
            boolean relative = o == Operator.WITHIN_LAST_DAYS || o == Operator.WITHIN_NEXT_DAYS || o == Operator.MORE_THAN_DAYS_AGO
                    || o == Operator.ANNIVERSARY_IN_DAYS;
            days.setVisible(relative);
            boolean needsValue = o != null && !relative && o != Operator.IS_SET && o != Operator.IS_EMPTY;
            List<String> options = enumValues();
            boolean several = o == Operator.IN || o == Operator.NOT_IN;
            choice.setVisible(options != null && needsValue && !several);
            choices.setVisible(options != null && needsValue && several);
            value.setVisible(options == null && needsValue);
            value.setHelperText(o == Operator.IN || o == Operator.NOT_IN ? getTranslation("segments.value.list")
                    : o == Operator.BETWEEN ? getTranslation("segments.value.between")
                    : o == Operator.DAY_OF_WEEK ? getTranslation("segments.value.dow") : null);
        }

        @Override
        Condition value() {
            Operator o = op.getValue();
            String f = field.getValue() == null ? null : field.getValue().name();
            if (choices.isVisible()) {
                return new Condition.Field(f, o, null, choices.getValue().stream().sorted().map(x -> (Object) x).toList(), null);
            }
            if (choice.isVisible()) {
                return new Condition.Field(f, o, choice.getValue(), null, null);
            }
            if (o == Operator.IN || o == Operator.NOT_IN || o == Operator.BETWEEN) {
                List<Object> list = Arrays.stream(value.getValue().split(",")).map(String::strip).filter(s -> !s.isEmpty())
                        .map(s -> (Object) s).toList();
                return new Condition.Field(f, o, null, list, null);
            }
            if (o == Operator.DAY_OF_WEEK) {
                return new Condition.Field(f, o, parsed(value.getValue()), null, null);
            }
            return new Condition.Field(f, o, value.isVisible() ? value.getValue() : null, null, days.isVisible() ? number(days) : null);
        }
    }

    /** Event type, optional channel, optional property filter and a window, shared by the behaviour rows. */
    private final class EventSelection {
        final ComboBox<String> event = typed(new ComboBox<>());
        final ComboBox<String> property = typed(new ComboBox<>());
        final Select<Operator> op = new Select<>();
        final TextField value = new TextField();
        final IntegerField lastDays = new IntegerField();

        EventSelection(Row row, String type, List<Condition.PropertyFilter> where, Condition.Window window) {
            row.watch(event);
            row.watch(property);
            row.watch(op);
            row.watch(value);
            row.watch(lastDays);
            event.setPlaceholder(getTranslation("segments.event"));
            event.setItems(List.copyOf(seen.keySet()));
            event.setHelperText(seen.isEmpty() ? null : getTranslation("segments.event.seen"));
            event.setWidth("min(12em, 100%)");
            event.addValueChangeListener(e -> property.setItems(seen.getOrDefault(e.getValue() == null ? "" : e.getValue(), List.of())));
            property.setPlaceholder(getTranslation("segments.property"));
            property.setLabel(getTranslation("segments.property.where"));
            property.setWidth("min(10em, 100%)");
            op.setItems(List.copyOf(SegmentCheck.propertyOperators()));
            op.setItemLabelGenerator(o -> o == null ? "" : getTranslation("segments.op." + o.id()));
            op.setPlaceholder(getTranslation("segments.op"));
            value.setPlaceholder(getTranslation("segments.value"));
            value.setWidth("8em");
            lastDays.setPlaceholder(getTranslation("segments.lastDays"));
            lastDays.setWidth("9em");
            set(event, type);
            if (!where.isEmpty()) {
                set(property, where.get(0).property());
                op.setValue(where.get(0).op());
                value.setValue(shown(where.get(0).value()));
            }
            if (window != null && window.lastDays() != null) {
                lastDays.setValue(window.lastDays());
            }
        }

        List<Condition.PropertyFilter> where() {
            if (property.getValue() == null || property.getValue().isBlank()) {
                return List.of();
            }
            return List.of(new Condition.PropertyFilter(property.getValue().strip(), op.getValue(), parsed(value.getValue())));
        }

        Condition.Window window() {
            return lastDays.getValue() == null ? null : new Condition.Window(lastDays.getValue(), null, null);
        }

        String type() {
            return event.getValue() == null ? "" : event.getValue().strip();
        }
    }

    private final class EventRow extends Row {
        final EventSelection sel;
        final TextField channel = watch(new TextField());
        final IntegerField atLeast = watch(new IntegerField());
        final IntegerField atMost = watch(new IntegerField());

        EventRow(Condition.Did d) {
            sel = new EventSelection(this, d == null ? null : d.event(), d == null ? List.of() : d.where(), d == null ? null : d.window());
            channel.setPlaceholder(getTranslation("segments.channel"));
            channel.setWidth("7em");
            atLeast.setPlaceholder(getTranslation("segments.atLeast"));
            atLeast.setWidth("8em");
            atMost.setPlaceholder(getTranslation("segments.atMost"));
            atMost.setWidth("8em");
            if (d != null) {
                channel.setValue(d.channel() == null ? "" : d.channel());
                atLeast.setValue(d.atLeast());
                atMost.setValue(d.atMost());
            }
            add(label("segments.kind.event"), sel.event, channel, atLeast, atMost, sel.lastDays, sel.property, sel.op, sel.value);
        }

        @Override
        Condition value() {
            return new Condition.Did(sel.type(), channel.getValue().isBlank() ? null : channel.getValue().strip(), sel.where(),
                    atLeast.getValue(), atMost.getValue(), sel.window());
        }
    }

    private final class AggregateRow extends Row {
        final EventSelection sel;
        final Select<Condition.Function> function = watch(new Select<>());
        final TextField amount = watch(new TextField());
        final Select<Operator> op = watch(new Select<>());
        final TextField value = watch(new TextField());

        AggregateRow(Condition.Aggregate a) {
            sel = new EventSelection(this, a == null ? null : a.event(), a == null ? List.of() : a.where(), a == null ? null : a.window());
            function.setItems(Condition.Function.values());
            function.setItemLabelGenerator(f -> f == null ? "" : f.id());
            function.setValue(a == null ? Condition.Function.SUM : a.function());
            function.setWidth("6em");
            function.setPlaceholder(getTranslation("segments.function"));
            amount.setPlaceholder(getTranslation("segments.amountProperty"));
            amount.setWidth("8em");
            op.setItems(List.copyOf(SegmentCheck.aggregateOperators()));
            op.setItemLabelGenerator(o -> o == null ? "" : getTranslation("segments.op." + o.id()));
            op.setPlaceholder(getTranslation("segments.op"));
            value.setPlaceholder(getTranslation("segments.value"));
            value.setWidth("7em");
            op.addValueChangeListener(e -> value.setHelperText(e.getValue() == Operator.BETWEEN ? getTranslation("segments.value.between") : null));
            if (a != null) {
                amount.setValue(a.property() == null ? "" : a.property());
                op.setValue(a.op());
                value.setValue(a.values() != null ? String.join(", ", a.values().stream().map(ConditionBuilder::shown).toList()) : shown(a.value()));
            }
            add(label("segments.kind.aggregate"), function, amount, sel.event, op, value, sel.lastDays, sel.property, sel.op, sel.value);
        }

        @Override
        Condition value() {
            Operator o = op.getValue();
            List<Object> values = o == Operator.BETWEEN
                    ? Arrays.stream(value.getValue().split(",")).map(String::strip).map(s -> (Object) s).toList() : null;
            return new Condition.Aggregate(sel.type(), function.getValue(), amount.getValue().isBlank() ? null : amount.getValue().strip(),
                    sel.where(), o, o == Operator.BETWEEN ? null : parsed(value.getValue()), values, sel.window());
        }
    }

    private final class LastEventRow extends Row {
        final EventSelection sel;

        LastEventRow(Condition.LastEvent l) {
            sel = new EventSelection(this, l == null ? null : l.event(), l == null ? List.of() : l.where(), l == null ? null : l.window());
            add(label("segments.kind.last_event"), sel.event, sel.property, sel.op, sel.value, sel.lastDays);
        }

        @Override
        Condition value() {
            return new Condition.LastEvent(sel.type(), sel.where(), sel.window());
        }
    }

    private final class SubscriptionRow extends Row {
        final Select<Channel> channel = watch(new Select<>());
        final TextField resource = watch(new TextField());
        final Select<String> status = watch(new Select<>());

        SubscriptionRow(Condition.Subscribed s) {
            channel.setItems(Channel.values());
            channel.setItemLabelGenerator(c -> c == null ? "" : c.id());
            channel.setPlaceholder(getTranslation("segments.channel"));
            resource.setPlaceholder(getTranslation("segments.resource"));
            status.setItems("active", "unsubscribed", "suspended", "bounced");
            status.setValue("active");
            status.setPlaceholder(getTranslation("segments.status"));
            if (s != null) {
                channel.setValue(Channel.fromId(s.channel()));
                resource.setValue(s.resource() == null ? "" : s.resource());
                status.setValue(s.status() == null ? "active" : s.status());
            }
            add(label("segments.kind.subscription"), channel, resource, status);
        }

        @Override
        Condition value() {
            return new Condition.Subscribed(channel.getValue() == null ? null : channel.getValue().id(),
                    resource.getValue().isBlank() ? null : resource.getValue().strip(), status.getValue());
        }
    }

    private final class RelationRow extends Row {
        final TextField relation = watch(new TextField());
        final ConditionBuilder nested;

        RelationRow(Condition.Related r) {
            relation.setPlaceholder(getTranslation("segments.relation"));
            nested = new ConditionBuilder(schema, others, onChange, true).offering(seen).offeringPools(pools);
            if (r != null) {
                relation.setValue(r.relation() == null ? "" : r.relation());
                nested.read(r.condition());
            }
            VerticalLayout box = new VerticalLayout(new HorizontalLayout(label("segments.kind.relation"), relation), nested);
            box.setPadding(false);
            add(box);
        }

        @Override
        Condition value() {
            return new Condition.Related(relation.getValue().strip(), nested.value());
        }
    }

    private final class SegmentRow extends Row {
        final Select<Segment> segment = watch(new Select<>());
        final Checkbox member = watch(new Checkbox());

        SegmentRow(Condition.InSegment s) {
            segment.setItems(others);
            segment.setItemLabelGenerator(x -> x == null ? "" : x.name());
            segment.setPlaceholder(getTranslation("segments.kind.segment"));
            member.setLabel(getTranslation("segments.isMember"));
            member.setValue(true);
            if (s != null) {
                others.stream().filter(o -> o.id().equals(s.segment())).findFirst().ifPresent(segment::setValue);
                member.setValue(s.wanted());
            }
            add(label("segments.kind.segment"), segment, member);
        }

        @Override
        Condition value() {
            return new Condition.InSegment(segment.getValue() == null ? null : segment.getValue().id(), member.getValue());
        }
    }

    private final class PromoRow extends Row {
        final ComboBox<String> pool = typed(watch(new ComboBox<>()));
        final Select<String> state = watch(new Select<>());
        final IntegerField lastDays = watch(new IntegerField());

        PromoRow(Condition.Promo x) {
            pool.setItems(pools);
            pool.setPlaceholder(getTranslation("segments.promo.pool"));
            state.setItems("active", "issued", "redeemed");
            state.setItemLabelGenerator(v -> v == null ? "" : getTranslation("segments.promo." + v));
            state.setValue("active");
            lastDays.setPlaceholder(getTranslation("segments.lastDays"));
            lastDays.setWidth("9em");
            if (x != null) {
                ConditionBuilder.set(pool, x.pool());
                state.setValue(x.state() == null ? "active" : x.state());
                if (x.window() != null && x.window().lastDays() != null) {
                    lastDays.setValue(x.window().lastDays());
                }
            }
            add(label("segments.kind.promo"), state, pool, lastDays);
        }

        @Override
        Condition value() {
            return new Condition.Promo(pool.getValue() == null ? null : pool.getValue().strip(), state.getValue(),
                    lastDays.getValue() == null ? null : new Condition.Window(lastDays.getValue(), null, null));
        }
    }

    private final class CustomRow extends Row {
        final TextArea expression = watch(new TextArea());

        CustomRow(Condition.Custom c) {
            expression.setPlaceholder("number(\"age\") >= 18 && eventCount(\"purchase\", 30) > 1");
            expression.setHelperText(getTranslation("segments.custom.help"));
            expression.setWidth("min(36em, 100%)");
            expression.getStyle().set("font-family", "monospace");
            if (c != null) {
                expression.setValue(c.expression() == null ? "" : c.expression());
            }
            add(label("segments.kind.custom"), expression);
        }

        @Override
        Condition value() {
            return new Condition.Custom(expression.getValue());
        }
    }
}
