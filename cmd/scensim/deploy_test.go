package main

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// The shipped Kubernetes manifests agree with each other and with the
// run command: an Indexed Job whose completion count is the shard count
// passed to --shard, and a merge Job over the same shard folders.
func TestKubernetesManifests(t *testing.T) {
	t.Parallel()
	var job struct {
		Spec struct {
			CompletionMode string `yaml:"completionMode"`
			Completions    int    `yaml:"completions"`
			Template       struct {
				Spec struct {
					Containers []struct {
						Args []string `yaml:"args"`
					} `yaml:"containers"`
				} `yaml:"spec"`
			} `yaml:"template"`
		} `yaml:"spec"`
	}
	data, err := os.ReadFile("../../deploy/k8s-indexed-job.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(data, &job); err != nil {
		t.Fatal(err)
	}
	if job.Spec.CompletionMode != "Indexed" {
		t.Errorf("completionMode %q, want Indexed", job.Spec.CompletionMode)
	}
	args := strings.Join(job.Spec.Template.Spec.Containers[0].Args, " ")
	m := regexp.MustCompile(`--shard "\$\{JOB_COMPLETION_INDEX\}/(\d+)"`).FindStringSubmatch(args)
	if m == nil || m[1] != fmt.Sprint(job.Spec.Completions) {
		t.Errorf("shard argument %q does not use the completion index over %d completions", args, job.Spec.Completions)
	}
	merge, err := os.ReadFile("../../deploy/k8s-merge-job.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("-shard-*-of-%d", job.Spec.Completions); !strings.Contains(string(merge), want) {
		t.Errorf("merge job does not merge %q", want)
	}
	// The run arguments are ones scensim accepts.
	fields := strings.Fields(strings.ReplaceAll(args, `"${JOB_COMPLETION_INDEX}/`+m[1]+`"`, "0/"+m[1]))
	fields = append(fields[1:], "--no-files", "--trials", "100")
	if _, err := run(t, fields...); err != nil {
		t.Errorf("scensim %s: %v", strings.Join(fields, " "), err)
	}
}

// The image built by deploy/Dockerfile has the shell that the Kubernetes
// manifests run their commands with: distroless images have none.
func TestImageHasTheManifestsShell(t *testing.T) {
	docker, err := os.ReadFile("../../deploy/Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	froms := regexp.MustCompile(`(?m)^FROM\s+(\S+)`).FindAllStringSubmatch(string(docker), -1)
	if len(froms) == 0 {
		t.Fatal("deploy/Dockerfile has no FROM line")
	}
	final := froms[len(froms)-1][1]
	for _, name := range []string{"k8s-indexed-job.yaml", "k8s-merge-job.yaml"} {
		data, err := os.ReadFile("../../deploy/" + name)
		if err != nil {
			t.Fatal(err)
		}
		uses := regexp.MustCompile(`command: \["(/[^"]+)"`).FindStringSubmatch(string(data))
		if uses == nil {
			t.Fatalf("%s runs no command through a shell path", name)
		}
		if uses[1] == "/bin/sh" && strings.Contains(final, "distroless") {
			t.Errorf("%s runs /bin/sh, but the image is built from %s, which has no /bin/sh", name, final)
		}
	}
}
