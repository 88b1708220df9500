package dev.plinth.commands;

import java.util.ArrayList;
import java.util.List;

/**
 * Text in aligned columns, for a shell: a heading row, then one row per item; every column but the last is padded
 * to its widest cell, with two spaces between columns.
 */
final class Table {

    private static final String GAP = "  ";

    private final List<String[]> rows = new ArrayList<>();
    private final int columns;

    /** @param headings the column headings */
    Table(String... headings) {
        columns = headings.length;
        rows.add(headings);
    }

    /**
     * Adds a row.
     *
     * @param cells one value per column, shown with {@link String#valueOf(Object)}
     * @return this
     */
    Table row(Object... cells) {
        if (cells.length != columns) {
            throw new IllegalArgumentException("a row needs " + columns + " cells, not " + cells.length);
        }
        String[] text = new String[columns];
        for (int i = 0; i < columns; i++) {
            text[i] = String.valueOf(cells[i]);
        }
        rows.add(text);
        return this;
    }

    /** @return the rows, each ending with a line feed */
    @Override
    public String toString() {
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder text = new StringBuilder();
        for (String[] row : rows) {
            for (int i = 0; i < columns - 1; i++) {
                text.append(row[i])
                        .append(" ".repeat(widths[i] - row[i].length()))
                        .append(GAP);
            }
            text.append(row[columns - 1]).append('\n');
        }
        return text.toString();
    }
}
