package ui

import (
	"fmt"
	"strings"
)

// View renders exactly height lines.
func (p *partnersScreen) View() string {
	if p.data == nil {
		return ""
	}
	if p.detail != nil {
		return p.detail.view()
	}
	var b strings.Builder
	b.Grow((p.width + 16) * p.height * 2)
	b.WriteString(p.toolbar())
	b.WriteByte('\n')
	b.WriteString(p.columnTitles())
	n := 0
	emit := func(s string) {
		b.WriteByte('\n')
		b.WriteString(s)
		n++
	}
	if len(p.data.rows) == 0 {
		emit(p.c.styles.Empty.Render(clip("  No partners yet: import a roster with `partnertiers import partners FILE`.", p.width)))
	}
	if p.shown == 0 && p.query != "" {
		emit(p.c.styles.Empty.Render(clip("  No partner matches "+quote(p.input.Value())+". esc clears the filter.", p.width)))
	}
	if len(p.secs) > 0 {
		// Walk the lines from offset; the first one repeats its section's
		// header when it is a row.
		si := 0
		for si+1 < len(p.secs) && p.secs[si+1].line <= p.offset {
			si++
		}
		line := p.offset
		if s := p.secs[si]; line > s.line && n < p.listHeight {
			emit(p.sectionLine(s))
		}
		for n < p.listHeight && si < len(p.secs) {
			s := p.secs[si]
			switch {
			case line == s.line:
				emit(p.sectionLine(s))
			case line-s.line-1 < len(s.rows):
				i := line - s.line - 1
				emit(p.rowLine(&p.data.rows[s.rows[i]], s.first+i == p.cursor))
			}
			line++
			if line >= s.line+1+len(s.rows) {
				si++
			}
		}
	}
	for n < p.listHeight {
		emit("")
	}
	return b.String()
}

func (p *partnersScreen) toolbar() string {
	st := p.c.styles
	var left string
	switch {
	case p.input.Focused():
		left = p.input.View()
	case p.input.Value() != "":
		left = st.FilterValue.Render("/ "+clip(p.input.Value(), max(1, p.width/2-4))) + st.FilterHint.Render("  esc clears")
	default:
		left = st.FilterHint.Render("/ filter by name, alias or domain")
	}
	total := len(p.data.rows)
	count := fmt.Sprintf("%s partners", thousands(total))
	if p.query != "" {
		count = fmt.Sprintf("%s of %s partners", thousands(p.shown), thousands(total))
	}
	right := st.Count.Render(count + " · sort: " + p.sort.String())
	return spread(left, right, p.width)
}

func (p *partnersScreen) columnTitles() string {
	var b strings.Builder
	b.WriteString("   ")
	for i, c := range p.cols {
		if i > 0 {
			b.WriteByte(' ')
		}
		if c.right {
			b.WriteString(fitRight(c.title, c.width))
		} else {
			b.WriteString(fit(c.title, c.width))
		}
	}
	return p.c.styles.ColumnHeader.Render(fit(b.String(), p.width))
}

func (p *partnersScreen) sectionLine(s secView) string {
	pt := &p.c.styles.paints
	sec := p.data.sections[s.sec]
	count := thousands(sec.total) + " partners"
	switch {
	case p.query != "":
		count = thousands(len(s.rows)) + " of " + thousands(sec.total) + " partners"
	case sec.total == 1:
		count = "1 partner"
	}
	head := clip(sec.name, p.width)
	meta := clip(" · "+count+" · "+sec.buys, p.width-textWidth(head))
	return pt.section.draw(head) + pt.sectionMeta.draw(meta)
}

func (p *partnersScreen) rowLine(r *row, selected bool) string {
	pt := &p.c.styles.paints
	mark := " "
	switch r.earnDir {
	case 1:
		mark = "▲"
	case -1:
		mark = "▼"
	}
	var b strings.Builder
	b.Grow(p.width * 3)
	if selected {
		b.WriteString("›")
		b.WriteString(mark)
		b.WriteByte(' ')
		for i, c := range p.cols {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(c.cell(p.data, r))
		}
		return pt.selected.draw(fit(b.String(), p.width))
	}
	b.WriteByte(' ')
	switch r.earnDir {
	case 1:
		b.WriteString(pt.up.draw(mark))
	case -1:
		b.WriteString(pt.down.draw(mark))
	default:
		b.WriteString(mark)
	}
	b.WriteByte(' ')
	for i, c := range p.cols {
		if i > 0 {
			b.WriteByte(' ')
		}
		text := c.cell(p.data, r)
		switch c.kind {
		case colName:
			b.WriteString(pt.name.draw(text))
		case colTrend:
			b.WriteString(pt.trend.draw(text))
		case colMetric:
			b.WriteString(pt.cell.draw(text))
		default:
			b.WriteString(pt.muted.draw(text))
		}
	}
	return b.String()
}

func quote(s string) string { return "“" + clean(s) + "”" }

// thousands groups digits: 100000 reads 100,000.
func thousands(n int) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}
