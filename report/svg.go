package report

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// Inline SVG. gonum's SVG charts embed their font (Liberation Sans, about
// 550 kB as base64) in a <style> block in every file. A report holds many
// charts, so inlineSVG takes the @font-face rules out and the report's
// stylesheet declares each distinct one once; within an HTML page the
// rule applies to every inline SVG.

// normalFont are the font properties gonum writes on every text element
// that are the defaults anyway; inlineSVG drops them.
var normalFont = []byte("font-variant:normal;font-weight:normal;font-style:normal;")

// inlineSVG turns an SVG file written by gonum's vgsvg into an element to
// inline in HTML: no XML declaration or comment, no fixed size (the
// viewBox scales it to its container), an accessible title, and the
// @font-face rules taken out and returned separately. (Plain byte
// searches: the font makes each file about 600 kB.)
func inlineSVG(svg []byte, title string) (elem []byte, fonts []string, err error) {
	start := bytes.Index(svg, []byte("<svg "))
	if start < 0 {
		return nil, nil, fmt.Errorf("report: not an SVG file (no <svg>)")
	}
	open := svg[start:]
	gt := bytes.IndexByte(open, '>')
	if gt < 0 {
		return nil, nil, fmt.Errorf("report: malformed SVG")
	}
	tag, body := open[:gt], open[gt+1:]
	viewBox := attr(tag, "viewBox")
	if viewBox == "" {
		return nil, nil, fmt.Errorf("report: an SVG chart without a viewBox")
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg class="chart" viewBox="%s" role="img" xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><title>%s</title>`, viewBox, escapeText(title))
	body = bytes.TrimSpace(body)
	if rest, ok := bytes.CutPrefix(body, []byte("<defs>")); ok {
		end := bytes.Index(rest, []byte("</defs>"))
		if end < 0 {
			return nil, nil, fmt.Errorf("report: malformed SVG (<defs> not closed)")
		}
		defs := bytes.TrimSpace(rest[:end])
		body = rest[end+len("</defs>"):]
		css, ok := bytes.CutPrefix(defs, []byte("<style>"))
		if !ok || !bytes.HasSuffix(css, []byte("</style>")) {
			return nil, nil, fmt.Errorf("report: unexpected <defs> in an SVG chart: %.60q", defs)
		}
		css = bytes.TrimSuffix(css, []byte("</style>"))
		for {
			css = bytes.TrimSpace(css)
			if len(css) == 0 {
				break
			}
			if !bytes.HasPrefix(css, []byte("@font-face")) {
				return nil, nil, fmt.Errorf("report: unexpected CSS in an SVG chart: %.60q", css)
			}
			close := bytes.IndexByte(css, '}')
			if close < 0 {
				return nil, nil, fmt.Errorf("report: malformed @font-face in an SVG chart")
			}
			fonts = append(fonts, string(css[:close+1]))
			css = css[close+1:]
		}
	}
	b.Write(bytes.ReplaceAll(bytes.TrimSpace(body), normalFont, nil))
	return b.Bytes(), fonts, nil
}

// attr returns the value of a double-quoted attribute in a start tag.
func attr(tag []byte, name string) string {
	i := bytes.Index(tag, []byte(" "+name+`="`))
	if i < 0 {
		i = bytes.Index(tag, []byte("\t"+name+`="`))
	}
	if i < 0 {
		return ""
	}
	v := tag[i+len(name)+3:]
	if j := bytes.IndexByte(v, '"'); j >= 0 {
		return string(v[:j])
	}
	return ""
}

// escapeText escapes text for HTML element content.
func escapeText(s string) string {
	var b bytes.Buffer
	for _, r := range s {
		switch r {
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// styleClasses replaces each style="..." attribute of the charts' SVG by a
// class, one per distinct style over the whole report (s0, s1, ... in order
// of first use), and returns the CSS rules that declare them. A chart
// repeats a handful of styles on thousands of elements, so this shrinks a
// report by about a third.
func styleClasses(charts []*Chart) (css string) {
	classes := map[string]string{}
	var rules strings.Builder
	pre := []byte(` style="`)
	for _, c := range charts {
		var out bytes.Buffer
		out.Grow(len(c.SVG))
		rest := c.SVG
		for {
			i := bytes.Index(rest, pre)
			if i < 0 {
				break
			}
			j := bytes.IndexByte(rest[i+len(pre):], '"')
			if j < 0 {
				break
			}
			style := string(rest[i+len(pre) : i+len(pre)+j])
			cls, ok := classes[style]
			if !ok {
				cls = "s" + strconv.Itoa(len(classes))
				classes[style] = cls
				fmt.Fprintf(&rules, ".chart .%s{%s}\n", cls, style)
			}
			out.Write(rest[:i])
			out.WriteString(` class="` + cls + `"`)
			rest = rest[i+len(pre)+j+1:]
		}
		out.Write(rest)
		c.SVG = out.Bytes()
	}
	return rules.String()
}
