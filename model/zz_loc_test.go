package model

import (
	"fmt"
	"testing"

	"github.com/expr-lang/expr/parser"
	"go.yaml.in/yaml/v3"
)

func TestScratchLoc(t *testing.T) {
	for _, s := range []string{"talks == talks", "talks == 3", "1 + 2 + x"} {
		tree, _ := parser.Parse(s)
		fmt.Printf("%q %T %+v\n", s, tree.Node, tree.Node.Location())
	}
	var n yaml.Node
	yaml.Unmarshal([]byte("when: \"talks == talks\"\nx: talks == 3\n"), &n)
	for _, c := range n.Content[0].Content {
		fmt.Println(c.Value, c.Line, c.Column, c.Style)
	}
}
