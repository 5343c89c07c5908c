package ui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/partnertiers/partnertiers/model"
)

// pickerMaxRows is how many partners the picker lists at most.
const pickerMaxRows = 8

// partnerPicker asks which partner an unmatched meeting belongs to: a
// filter over the partners' names, aliases and domains, and the partners
// it keeps. It only collects: the Calendar tab assigns.
type partnerPicker struct {
	c       *common
	data    *dataset
	meeting model.Unmatched
	learns  string // what assigning teaches: "the domain denver-it.example"
	zone    *time.Location
	input   textinput.Model

	query   string
	matches []int32 // row indices into data.rows, best first
	cursor  int
	offset  int

	width, height int // the screen's
	rows          int // partner lines shown
	saving        bool
	err           string
}

func newPartnerPicker(c *common, d *dataset, m model.Unmatched, learns string, zone *time.Location) *partnerPicker {
	in := textinput.New()
	in.Prompt = "/ "
	in.Placeholder = "type a partner's name, alias or domain"
	in.CharLimit = 100
	in.SetVirtualCursor(false)
	in.SetStyles(c.styles.Input)
	p := &partnerPicker{c: c, data: d, meeting: m, learns: learns, zone: zone, input: in}
	p.filter()
	return p
}

func (p *partnerPicker) focus() tea.Cmd { return p.input.Focus() }

// boxWidth is the picker's width on a screen w cells wide.
func (p *partnerPicker) boxWidth() int { return min(72, max(20, p.width-4)) }

func (p *partnerPicker) setSize(w, h int) {
	p.width, p.height = w, h
	p.input.SetStyles(p.c.styles.Input)
	p.input.SetWidth(max(4, p.boxWidth()-4-ansi.StringWidth(p.input.Prompt)-12))
	// The box is its border, the meeting, what it teaches, the filter, the
	// partners and a hint: it fits the screen.
	p.rows = min(pickerMaxRows, max(1, h-7))
	p.keepCursor()
}

// filter keeps the partners whose name, alias or domain holds the query:
// names that start with it first, then words that do, then the rest, each
// in name order.
func (p *partnerPicker) filter() {
	q := strings.ToLower(strings.TrimSpace(p.input.Value()))
	if q == p.query && p.matches != nil {
		return
	}
	p.query = q
	rows := p.data.rows
	p.matches = make([]int32, 0, min(len(rows), 1024))
	if q == "" {
		for i := range rows {
			p.matches = append(p.matches, int32(i))
		}
	} else {
		var words, rest []int32
		for i := range rows {
			s := rows[i].search
			switch {
			case strings.HasPrefix(s, q):
				p.matches = append(p.matches, int32(i))
			case wordStart(s, q):
				words = append(words, int32(i))
			case strings.Contains(s, q):
				rest = append(rest, int32(i))
			}
		}
		p.matches = append(append(p.matches, words...), rest...)
	}
	p.cursor, p.offset = 0, 0
}

// wordStart reports whether a word of s (after a space, a line break, a
// hyphen or a dot) starts with q.
func wordStart(s, q string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], q)
		if j < 0 {
			return false
		}
		i += j
		if i == 0 || strings.ContainsRune(" \n-.", rune(s[i-1])) {
			return true
		}
		i++
	}
}

func (p *partnerPicker) selected() *model.Partner {
	if p.cursor < 0 || p.cursor >= len(p.matches) {
		return nil
	}
	return p.data.rows[p.matches[p.cursor]].partner
}

func (p *partnerPicker) move(n int) {
	p.cursor = min(max(p.cursor+n, 0), max(0, len(p.matches)-1))
	p.keepCursor()
}

func (p *partnerPicker) keepCursor() {
	if p.cursor < p.offset {
		p.offset = p.cursor
	}
	if p.cursor >= p.offset+p.rows {
		p.offset = p.cursor - p.rows + 1
	}
	p.offset = max(0, min(p.offset, len(p.matches)-p.rows))
}

func (p *partnerPicker) update(msg tea.KeyPressMsg) (dialogAction, tea.Cmd) {
	k := p.c.keys
	switch {
	case p.saving:
		return dialogNone, nil // under way: esc can no longer take it back
	case key.Matches(msg, k.PickCancel):
		return dialogCancel, nil
	case key.Matches(msg, k.PickChoose):
		if p.selected() == nil {
			p.err = "No partner matches " + quote(p.input.Value()) + ": esc cancels"
			return dialogNone, nil
		}
		return dialogSubmit, nil
	case key.Matches(msg, k.PickDown):
		p.move(1)
		return dialogNone, nil
	case key.Matches(msg, k.PickUp):
		p.move(-1)
		return dialogNone, nil
	case key.Matches(msg, k.PickPageDown):
		p.move(p.rows)
		return dialogNone, nil
	case key.Matches(msg, k.PickPageUp):
		p.move(-p.rows)
		return dialogNone, nil
	}
	p.err = ""
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(msg)
	p.filter()
	return dialogNone, cmd
}

func (p *partnerPicker) paste(msg tea.PasteMsg) tea.Cmd {
	if p.saving {
		return nil
	}
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(msg)
	p.filter()
	return cmd
}

// at is the box's top-left corner on the screen: centred across, a
// little above the middle.
func (p *partnerPicker) at() (x, y int) {
	h := len(p.lines()) + 2 // and the border
	return max(0, (p.width-p.boxWidth())/2), max(1, (p.height-h)/3)
}

// view is the box, boxWidth cells wide.
func (p *partnerPicker) view() []string {
	return box(p.c.styles, "Assign to a partner", p.lines(), p.boxWidth())
}

// lines are the box's content.
func (p *partnerPicker) lines() []string {
	st, u := p.c.styles, p.meeting
	inner := p.boxWidth() - 4
	when := u.Meeting.Start.In(p.zone).Format("Mon 2 Jan 15:04") + " · " + hoursCell(u.Hours) + " · "
	lines := []string{st.Muted.Render(when) + st.Title.Render(clip(clean(u.Meeting.Summary), max(1, inner-ansi.StringWidth(when))))}
	if p.learns != "" {
		lines = append(lines, st.Muted.Render(clip("Remembers "+p.learns+" for the partner you pick", inner)))
	} else {
		lines = append(lines, "")
	}
	count := st.Count.Render(fmt.Sprintf("%s of %s", thousands(len(p.matches)), thousands(len(p.data.rows))))
	lines = append(lines, spread(p.input.View(), count, inner))

	for i := p.offset; i < p.offset+p.rows; i++ {
		if i >= len(p.matches) {
			if i == 0 {
				lines = append(lines, st.Empty.Render(clip("  No partner matches "+quote(p.input.Value()), inner)))
			} else {
				lines = append(lines, "")
			}
			continue
		}
		lines = append(lines, p.row(&p.data.rows[p.matches[i]], i == p.cursor, inner))
	}

	switch {
	case p.saving:
		lines = append(lines, st.Loading.Render("Assigning…"))
	case p.err != "":
		lines = append(lines, st.Error.Render(clip(clean(p.err), inner)))
	default:
		lines = append(lines, st.Muted.Render(clip("↑/↓ choose · enter assigns · esc cancels", inner)))
	}
	return lines
}

// row is one partner: its name, then its tier and manager.
func (p *partnerPicker) row(r *row, selected bool, w int) string {
	st := p.c.styles
	meta := p.data.program.TierName(r.partner.Tier)
	if m := r.manager(); m != "" {
		meta += " · " + shortPerson(m, 16)
	}
	metaW := min(ansi.StringWidth(meta), max(0, w/2-2))
	nameW := max(1, w-2-metaW-1)
	name := fit(r.name(), nameW)
	meta = fitRight(meta, metaW)
	if selected {
		return st.Selected.Render("› " + name + " " + meta)
	}
	return "  " + st.Name.Render(name) + " " + st.Muted.Render(meta)
}

// cursor is the terminal cursor in the filter, on the screen.
func (p *partnerPicker) termCursor() *tea.Cursor {
	if p.saving {
		return nil
	}
	c := p.input.Cursor()
	if c == nil {
		return nil
	}
	x, y := p.at()
	c.X += x + 2 // the border and its space
	c.Y += y + 3 // the top border, the meeting, what it teaches
	return c
}
