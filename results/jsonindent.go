package results

// appendIndented appends src, compact JSON as encoding/json writes it (no
// white space outside strings), to dst indented as json.Indent(dst, src,
// "", "  ") would: a newline and two spaces per level before every
// element and member, ": " after a key, and an empty object or array kept
// as {} or []. json.Indent runs a validating scanner over every byte,
// which took as long as encoding the value (60 ms of a 1.6 MB result.json);
// this copies strings and numbers in runs. Bytes after an unterminated
// string are copied as they are. Unlike json.Indent it sets no limit on
// nesting (json.Indent refuses more than 10,000 levels, which no document
// scensim writes comes near).
func appendIndented(dst, src []byte) []byte {
	depth := 0
	open := false // after { or [: the indent waits, in case the next byte closes it
	for i := 0; i < len(src); i++ {
		c := src[i]
		if open && c != '}' && c != ']' {
			open = false
			depth++
			dst = appendLine(dst, depth)
		}
		switch c {
		case '"':
			j := i + 1
			for j < len(src) && src[j] != '"' {
				if src[j] == '\\' {
					j++
				}
				j++
			}
			j = min(j, len(src)-1)
			dst = append(dst, src[i:j+1]...)
			i = j
		case '{', '[':
			open = true
			dst = append(dst, c)
		case ',':
			dst = appendLine(append(dst, c), depth)
		case ':':
			dst = append(dst, ':', ' ')
		case '}', ']':
			if open {
				open = false
			} else {
				depth--
				dst = appendLine(dst, depth)
			}
			dst = append(dst, c)
		default:
			j := i + 1 // a number or a literal, up to the next punctuation
			for j < len(src) && !isJSONPunct(src[j]) {
				j++
			}
			dst = append(dst, src[i:j]...)
			i = j - 1
		}
	}
	return dst
}

// isJSONPunct reports whether c is a byte appendIndented acts on.
func isJSONPunct(c byte) bool {
	switch c {
	case '"', '{', '[', ',', ':', '}', ']':
		return true
	}
	return false
}

// indentSpaces holds the spaces of the deepest indent appendLine writes at
// once.
const indentSpaces = "                                                                "

// appendLine appends a newline and depth levels of two-space indent.
func appendLine(dst []byte, depth int) []byte {
	dst = append(dst, '\n')
	for n := 2 * depth; n > 0; {
		k := min(n, len(indentSpaces))
		dst = append(dst, indentSpaces[:k]...)
		n -= k
	}
	return dst
}
