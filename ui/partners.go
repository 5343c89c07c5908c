package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
)

// wheelStep is how many rows one mouse-wheel notch moves.
const wheelStep = 3

// partnersScreen is the Partners tab: partners in sections per tier, a
// filter, sort modes, and the partner detail on enter.
type partnersScreen struct {
	c    *common
	data *dataset

	width, height int
	cols          []column
	listHeight    int // lines for sections and rows

	sort  sortMode
	input textinput.Model

	// The applied filter: query is lower case, "" when none. matches are
	// the row indices it keeps, in row order; mark[i] == gen flags them.
	query   string
	matches []int32
	mark    []uint32
	gen     uint32

	// The visible list: non-empty sections in order, with positions.
	secs   []secView
	shown  int // partners shown
	cursor int // position among the shown partners
	offset int // first list line on screen

	detail *partnerDetail // open when not nil
}

// secView is one section as currently shown: its header on line, its rows
// from position first.
type secView struct {
	sec   int
	rows  []int32
	first int
	line  int
}

func newPartnersScreen(c *common) *partnersScreen {
	in := textinput.New()
	in.Prompt = "/ "
	in.Placeholder = "name, alias or domain"
	in.SetVirtualCursor(false)
	in.SetStyles(c.styles.Input)
	return &partnersScreen{c: c, input: in}
}

func (p *partnersScreen) Title() string { return "Partners" }

// SetData takes a new snapshot. A reload (after a finalize, an assignment,
// ctrl+r or the focus back) keeps what the user was looking at: the
// filter, the selected partner, and an open detail, shown on the new data
// at the same scroll.
func (p *partnersScreen) SetData(d *dataset) {
	var selectedID, detailID string
	if p.data != nil {
		if r := p.selected(); r >= 0 {
			selectedID = p.data.rows[r].partner.ID
		}
	}
	if p.detail != nil {
		detailID = p.detail.r.partner.ID
	}
	p.data = d
	p.mark = make([]uint32, len(d.rows))
	q := p.query
	p.query, p.matches, p.gen = "", nil, 0
	p.applyFilter(q)
	p.rebuild(d.rowOf(selectedID))
	offset := 0
	if detailID != "" {
		offset = p.detail.offset
		p.detail = nil
		if r := d.rowOf(detailID); r >= 0 {
			p.detail = newPartnerDetail(p.c, d, &d.rows[r])
		}
	}
	p.layout()
	if p.detail != nil { // where the reader was, clamped to the new text
		p.detail.scroll(offset)
	}
}

func (p *partnersScreen) SetSize(w, h int) {
	p.width, p.height = w, h
	p.input.SetStyles(p.c.styles.Input)
	p.layout()
}

func (p *partnersScreen) Capturing() bool { return p.detail == nil && p.input.Focused() }

func (p *partnersScreen) Cursor() *tea.Cursor {
	if p.detail != nil || !p.input.Focused() {
		return nil
	}
	return p.input.Cursor() // the toolbar is the screen's first line
}

// layout does the arithmetic of a size: columns and heights.
func (p *partnersScreen) layout() {
	p.listHeight = max(1, p.height-2) // toolbar and column titles
	p.input.SetWidth(max(8, p.width/2-4))
	if p.data != nil {
		p.cols = layoutColumns(p.data, p.width)
	}
	if p.detail != nil {
		p.detail.setSize(p.width, p.height)
	}
	p.scrollToCursor()
}

// rebuild recomputes the shown sections after a filter or sort change. It
// keeps the cursor on the partner with row index keep when it is still
// shown; otherwise the cursor goes to the top.
func (p *partnersScreen) rebuild(keep int32) {
	d := p.data
	p.secs = p.secs[:0]
	pos, line := 0, 0
	for i, base := range d.order[p.sort] {
		rows := base
		if p.query != "" {
			rows = make([]int32, 0, min(len(base), len(p.matches)))
			for _, r := range base {
				if p.mark[r] == p.gen {
					rows = append(rows, r)
				}
			}
			if len(rows) == 0 {
				continue
			}
		}
		p.secs = append(p.secs, secView{sec: i, rows: rows, first: pos, line: line})
		pos += len(rows)
		line += 1 + len(rows)
	}
	p.shown = pos
	p.cursor = 0
	if keep >= 0 {
		for _, s := range p.secs {
			for j, r := range s.rows {
				if r == keep {
					p.cursor = s.first + j
				}
			}
		}
	}
	p.offset = 0
	p.scrollToCursor()
}

// applyFilter narrows the rows to those whose name, alias or domain holds
// q. A query that extends the last one searches only the last matches.
func (p *partnersScreen) applyFilter(q string) {
	q = strings.ToLower(strings.TrimSpace(q))
	if q == p.query {
		return
	}
	if q == "" {
		keep := p.selected()
		p.query, p.matches = "", nil
		p.rebuild(keep)
		return
	}
	rows := p.data.rows
	var from []int32
	narrowing := p.query != "" && strings.Contains(q, p.query)
	if narrowing {
		from = p.matches
	}
	p.gen++
	if p.gen == 0 { // wrapped: start the marks afresh
		clear(p.mark)
		p.gen = 1
	}
	var out []int32
	if narrowing {
		out = from[:0:0]
		for _, i := range from {
			if strings.Contains(rows[i].search, q) {
				out = append(out, i)
				p.mark[i] = p.gen
			}
		}
	} else {
		for i := range rows {
			if strings.Contains(rows[i].search, q) {
				out = append(out, int32(i))
				p.mark[i] = p.gen
			}
		}
	}
	p.query, p.matches = q, out
	p.rebuild(-1)
}

// selected is the row index under the cursor, or -1.
func (p *partnersScreen) selected() int32 {
	if p.shown == 0 {
		return -1
	}
	s := p.secAt(p.cursor)
	return p.secs[s].rows[p.cursor-p.secs[s].first]
}

// secAt finds the shown section holding position pos.
func (p *partnersScreen) secAt(pos int) int {
	for i := len(p.secs) - 1; i > 0; i-- {
		if pos >= p.secs[i].first {
			return i
		}
	}
	return 0
}

// lineOf is the list line of position pos.
func (p *partnersScreen) lineOf(pos int) int {
	s := p.secs[p.secAt(pos)]
	return s.line + 1 + pos - s.first
}

func (p *partnersScreen) totalLines() int {
	if len(p.secs) == 0 {
		return 0
	}
	last := p.secs[len(p.secs)-1]
	return last.line + 1 + len(last.rows)
}

// scrollToCursor moves the window so the cursor's row shows. The first
// screen line may hold a repeated section header, so a window shows
// listHeight-1 lines for sure.
func (p *partnersScreen) scrollToCursor() {
	if p.shown == 0 {
		p.offset = 0
		return
	}
	p.cursor = min(max(p.cursor, 0), p.shown-1)
	line := p.lineOf(p.cursor)
	s := p.secs[p.secAt(p.cursor)]
	if p.cursor == s.first {
		line-- // show the section's own header with its first row
	}
	sure := max(1, p.listHeight-1)
	if line < p.offset {
		p.offset = line
	}
	if cl := p.lineOf(p.cursor); cl >= p.offset+sure {
		p.offset = cl - sure + 1
	}
	p.offset = min(max(p.offset, 0), p.maxOffset())
}

// maxOffset is the offset that shows the list's last line at the bottom,
// counting the repeated header the first screen line holds when it would
// otherwise be a row.
func (p *partnersScreen) maxOffset() int {
	o := p.totalLines() - p.listHeight
	if o <= 0 {
		return 0
	}
	for _, s := range p.secs {
		if s.line == o {
			return o
		}
	}
	return o + 1
}

func (p *partnersScreen) move(n int) {
	if p.shown == 0 {
		return
	}
	p.cursor = min(max(p.cursor+n, 0), p.shown-1)
	p.scrollToCursor()
}

func (p *partnersScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	if p.data == nil {
		return p, nil
	}
	if p.detail != nil {
		return p, p.updateDetail(msg)
	}
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		if p.input.Focused() {
			return p, p.updateFilter(msg)
		}
		return p, p.updateList(msg)
	case tea.MouseWheelMsg:
		switch msg.Button {
		case tea.MouseWheelUp:
			p.move(-wheelStep)
		case tea.MouseWheelDown:
			p.move(wheelStep)
		}
	case tea.PasteMsg:
		if p.input.Focused() {
			var cmd tea.Cmd
			p.input, cmd = p.input.Update(msg)
			p.applyFilter(p.input.Value())
			return p, cmd
		}
	}
	return p, nil
}

func (p *partnersScreen) updateList(msg tea.KeyPressMsg) tea.Cmd {
	k := p.c.keys
	if n, ok := navDelta(k, msg, p.listHeight-1, p.shown); ok {
		p.move(n)
		return nil
	}
	switch {
	case key.Matches(msg, k.Filter):
		p.input.CursorEnd()
		return p.input.Focus()
	case key.Matches(msg, k.Sort):
		keep := p.selected()
		p.sort = (p.sort + 1) % numSorts
		p.rebuild(keep)
		return p.c.status("Sorted by " + p.sort.String() + " within each tier")
	case key.Matches(msg, k.Open):
		return p.open()
	case key.Matches(msg, k.Back):
		if p.query != "" || p.input.Value() != "" {
			p.input.Reset()
			p.applyFilter("")
			return p.c.status("Filter cleared")
		}
	}
	return nil
}

func (p *partnersScreen) updateFilter(msg tea.KeyPressMsg) tea.Cmd {
	k := p.c.keys
	switch {
	case key.Matches(msg, k.FilterClear):
		p.input.Reset()
		p.input.Blur()
		p.applyFilter("")
		return nil
	case key.Matches(msg, k.FilterAccept):
		p.input.Blur()
		if p.query != "" && p.shown == 1 {
			return p.open()
		}
		if p.query != "" && p.shown == 0 {
			return p.c.status("No partner matches " + quote(p.input.Value()))
		}
		return nil
	case key.Matches(msg, k.FilterUp):
		p.move(-1)
		return nil
	case key.Matches(msg, k.FilterDown):
		p.move(1)
		return nil
	}
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(msg)
	p.applyFilter(p.input.Value())
	return cmd
}

func (p *partnersScreen) open() tea.Cmd {
	r := p.selected()
	if r < 0 {
		return nil
	}
	p.detail = newPartnerDetail(p.c, p.data, &p.data.rows[r])
	p.detail.setSize(p.width, p.height)
	return nil
}

func (p *partnersScreen) updateDetail(msg tea.Msg) tea.Cmd {
	k := p.c.keys
	dt := p.detail
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		if key.Matches(msg, k.Back) {
			p.detail = nil
		} else if n, ok := navDelta(k, msg, dt.bodyHeight()-1, len(dt.lines)); ok {
			dt.scroll(n)
		}
	case tea.MouseWheelMsg:
		switch msg.Button {
		case tea.MouseWheelUp:
			dt.scroll(-wheelStep)
		case tea.MouseWheelDown:
			dt.scroll(wheelStep)
		}
	}
	return nil
}

func (p *partnersScreen) ShortHelp() []key.Binding {
	k := p.c.keys
	switch {
	case p.detail != nil:
		return []key.Binding{k.Back, k.Down, k.Up, k.PageDown}
	case p.input.Focused():
		return []key.Binding{k.FilterAccept, k.FilterClear, k.FilterDown, k.FilterUp}
	}
	return []key.Binding{k.Open, k.Filter, k.Sort, k.Down, k.Up}
}

func (p *partnersScreen) FullHelp() [][]key.Binding {
	k := p.c.keys
	switch {
	case p.detail != nil:
		return [][]key.Binding{
			{k.Back},
			{k.Down, k.Up, k.PageDown, k.PageUp},
			{k.HalfPageDown, k.HalfPageUp, k.Top, k.Bottom},
		}
	case p.input.Focused():
		return [][]key.Binding{
			{k.FilterAccept, k.FilterClear},
			{k.FilterDown, k.FilterUp},
		}
	}
	return [][]key.Binding{
		{k.Open, k.Back, k.Filter, k.Sort},
		{k.Down, k.Up, k.PageDown, k.PageUp},
		{k.HalfPageDown, k.HalfPageUp, k.Top, k.Bottom},
	}
}
