package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// bar draws done of total as w cells of full and empty blocks. An empty
// total draws an empty bar.
func bar(st *Styles, done, total, w int) string {
	if w <= 0 {
		return ""
	}
	full := 0
	if total > 0 {
		full = min(w, done*w/total)
		if done > 0 && full == 0 {
			full = 1 // something decided never looks like nothing
		}
		if done < total && full == w {
			full = w - 1 // and almost never looks like all
		}
	}
	return st.BarFull.Render(strings.Repeat("█", full)) + st.BarEmpty.Render(strings.Repeat("░", w-full))
}

// box frames lines (styled or not) in a rounded border w cells wide with
// the title in its top edge. Lines are clipped to fit and padded, so every
// line of the box is exactly w cells.
func box(st *Styles, title string, lines []string, w int) []string {
	w = max(w, 6)
	inner := w - 4 // border and one space each side
	out := make([]string, 0, len(lines)+2)
	var top string
	if title != "" {
		t := clip(" "+title+" ", w-4)
		top = st.Border.Render("╭─") + st.DialogTitle.Render(t) +
			st.Border.Render(strings.Repeat("─", max(0, w-3-ansi.StringWidth(t)))+"╮")
	} else {
		top = st.Border.Render("╭" + strings.Repeat("─", w-2) + "╮")
	}
	out = append(out, top)
	side := st.Border.Render("│")
	for _, l := range lines {
		l = clip(l, inner)
		pad := inner - ansi.StringWidth(l)
		out = append(out, side+" "+l+strings.Repeat(" ", max(0, pad))+" "+side)
	}
	out = append(out, st.Border.Render("╰"+strings.Repeat("─", w-2)+"╯"))
	return out
}

// padLines makes lines exactly h long, cutting or adding empty lines.
func padLines(lines []string, h int) []string {
	if len(lines) > h {
		return lines[:h]
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return lines
}

// wrapText word-wraps plain text to w cells and styles each line.
func wrapText(style func(...string) string, text string, w, indent int) []string {
	pad := strings.Repeat(" ", indent)
	var out []string
	for _, l := range strings.Split(ansi.Wrap(text, max(10, w-indent), ""), "\n") {
		out = append(out, clip(pad+style(l), w))
	}
	return out
}
