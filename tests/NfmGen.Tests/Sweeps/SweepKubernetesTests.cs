using System.Diagnostics;
using NfmGen.Tests.Cli;
using k8s;
using k8s.Models;

namespace NfmGen.Tests.Sweeps;

/// <summary>
/// <c>nfm sweep k8s</c>: the Job it writes, read back with the Kubernetes client's own types. No cluster runs here, so
/// the manifest is checked field by field, and by <c>kubectl</c> where it can work without a cluster.
/// </summary>
public sealed class SweepKubernetesTests : IDisposable
{
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    private NfmProcess.Result Nfm(params string[] arguments) => NfmProcess.Run(folder.Path, arguments);

    private V1Job WriteJob(string sweepName, params string[] options)
    {
        var created = Nfm("sweep", "new", sweepName, "--grid", "scheme=erm,mixup,nfm", "--grid", "seed=1..2", "--model", "toy-mlp", "--dataset", "moons", "--epochs", "2");
        Assert.True(created.ExitCode == 0, created.ToString());
        var written = Nfm(["sweep", "k8s", sweepName, .. options]);
        Assert.True(written.ExitCode == 0, written.ToString());
        return KubernetesYaml.Deserialize<V1Job>(File.ReadAllText(folder.File($"{sweepName}/k8s/job.yaml")), strict: true);
    }

    [Fact]
    public void The_job_is_indexed_one_completion_per_task_on_the_claim_with_a_grace_period_and_preemption_not_counted()
    {
        var job = WriteJob("grid", "--image", "registry.example/nfm:0.1", "--pvc", "sweeps", "--parallelism", "4");

        Assert.Equal(("batch/v1", "Job", "nfm-sweep-grid"), (job.ApiVersion, job.Kind, job.Metadata.Name));
        var spec = job.Spec;
        Assert.Equal(("Indexed", 6, 4), (spec.CompletionMode, spec.Completions, spec.Parallelism));
        Assert.Equal((3, 6), (spec.BackoffLimitPerIndex, spec.MaxFailedIndexes));

        var rules = spec.PodFailurePolicy.Rules;
        Assert.Equal(2, rules.Count);
        Assert.Equal("Ignore", rules[0].Action);
        Assert.Equal("DisruptionTarget", Assert.Single(rules[0].OnPodConditions).Type);
        Assert.Equal("FailIndex", rules[1].Action);
        Assert.Equal(("nfm", "In"), (rules[1].OnExitCodes.ContainerName, rules[1].OnExitCodes.OperatorProperty));
        Assert.Equal([1], rules[1].OnExitCodes.Values);

        var pod = spec.Template.Spec;
        Assert.Equal("Never", pod.RestartPolicy);
        Assert.True(pod.TerminationGracePeriodSeconds >= 300, $"grace period {pod.TerminationGracePeriodSeconds} s");
        var container = Assert.Single(pod.Containers);
        Assert.Equal(("nfm", "registry.example/nfm:0.1"), (container.Name, container.Image));
        Assert.Equal(["sweep", "run", "/sweep"], container.Args);
        Assert.Null(container.Command); // the image's entrypoint is nfm
        Assert.Null(container.Resources); // no GPU asked for
        var mount = Assert.Single(container.VolumeMounts);
        var volume = Assert.Single(pod.Volumes);
        Assert.Equal((volume.Name, "/sweep"), (mount.Name, mount.MountPath));
        Assert.Equal("sweeps", volume.PersistentVolumeClaim.ClaimName);
    }

    [Fact]
    public void Only_the_unfinished_tasks_get_pods_each_running_its_task_by_the_completion_index_unless_all()
    {
        WriteJob("grid", "--image", "nfm:1");
        foreach (var done in new[] { "0", "4" })
            Assert.Equal(0, Nfm("sweep", "run", "grid", "--task", done).ExitCode);

        var rest = Nfm("sweep", "k8s", "grid", "--image", "nfm:1");
        var job = KubernetesYaml.Deserialize<V1Job>(File.ReadAllText(folder.File("grid/k8s/job.yaml")), strict: true);

        Assert.Contains("tasks 1-3,5 (4 of 6: 2 done, 0 queued or running)", rest.Output);
        Assert.Matches("^nfm-sweep-grid-[0-9a-f]{6}$", job.Metadata.Name); // beside the Job before it, not in its place
        Assert.Equal((4, 4, 4), (job.Spec.Completions, job.Spec.Parallelism, job.Spec.MaxFailedIndexes));
        Assert.Equal(["sweep", "run", "/sweep", "--tasks", "1-3,5"], Assert.Single(job.Spec.Template.Spec.Containers).Args);
        // Pod 3 of that Job runs task 5, the fourth listed.
        var environment = new Dictionary<string, string?> { ["JOB_COMPLETION_INDEX"] = "3", ["SLURM_ARRAY_TASK_ID"] = null };
        var pod = NfmProcess.Run(folder.Path, environment, "sweep", "run", "grid", "--tasks", "1-3,5");
        Assert.True(pod.ExitCode == 0, pod.ToString());
        Assert.Contains("Task 5 of 6", pod.Output);
        var beyond = NfmProcess.Run(folder.Path, new Dictionary<string, string?> { ["JOB_COMPLETION_INDEX"] = "4", ["SLURM_ARRAY_TASK_ID"] = null }, "sweep", "run", "grid", "--tasks", "1-3,5");
        Assert.Contains("the scheduler's index 4 is beyond the 4 tasks of --tasks 1-3,5", beyond.Error);

        var all = Nfm("sweep", "k8s", "grid", "--image", "nfm:1", "--all");
        Assert.Contains("tasks 0-5 (every task, as --all asks)", all.Output);
        Assert.Equal(["sweep", "run", "/sweep"], Assert.Single(KubernetesYaml.Deserialize<V1Job>(File.ReadAllText(folder.File("grid/k8s/job.yaml")), strict: true).Spec.Template.Spec.Containers).Args);
    }

    [Fact]
    public void Gpus_a_mount_path_and_the_defaults_of_claim_and_parallelism_are_written_as_given()
    {
        var job = WriteJob("My_Sweep.v2", "--image", "nfm", "--gpus", "2", "--mount", "/data/sweep/");

        Assert.Equal("nfm-sweep-my-sweep-v2", job.Metadata.Name);
        Assert.Equal(6, job.Spec.Parallelism); // every task at once
        var pod = job.Spec.Template.Spec;
        var container = Assert.Single(pod.Containers);
        Assert.Equal("2", container.Resources.Limits["nvidia.com/gpu"].ToString());
        Assert.Equal(["sweep", "run", "/data/sweep"], container.Args);
        Assert.Equal("/data/sweep", Assert.Single(container.VolumeMounts).MountPath);
        Assert.Equal("nfm-sweep-my-sweep-v2", Assert.Single(pod.Volumes).PersistentVolumeClaim.ClaimName);
    }

    [Fact]
    public void Paths_of_the_sweep_outside_the_volume_are_named_and_bad_options_are_refused()
    {
        var data = folder.File("fashion");
        Assert.Equal(0, Nfm("sweep", "new", "sw", "--model", "small-convnet", "--dataset", "fashion-mnist", "--data", data, "--epochs", "1").ExitCode);

        var written = Nfm("sweep", "k8s", "sw", "--image", "nfm");
        Assert.True(written.ExitCode == 0, written.ToString());
        Assert.Contains($"sweep.json gives --data {data}, outside /sweep: each pod must find it at that path", written.Output);

        var relative = Nfm("sweep", "k8s", "sw", "--image", "nfm", "--mount", "sweep");
        Assert.Equal(1, relative.ExitCode);
        Assert.Contains("--mount must be an absolute path in the pod other than / (was 'sweep')", relative.Error);
        var noImage = Nfm("sweep", "k8s", "sw");
        Assert.NotEqual(0, noImage.ExitCode);
        Assert.Contains("--image", noImage.Error);
    }

    [SkippableFact]
    public void Kubectl_accepts_the_job_in_a_client_dry_run()
    {
        var job = WriteJob("grid", "--image", "nfm", "--gpus", "1");
        Assert.NotNull(job);
        var start = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("create");
        start.ArgumentList.Add("--dry-run=client");
        start.ArgumentList.Add("--validate=false");
        start.ArgumentList.Add("-o");
        start.ArgumentList.Add("json");
        start.ArgumentList.Add("-f");
        start.ArgumentList.Add(folder.File("grid/k8s/job.yaml"));
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new SkipException("kubectl is not installed");
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            // kubectl maps a file's kind to a resource through the API server's discovery, even for a client dry run.
            Skip.If(process.ExitCode != 0 && error.Contains("unable to recognize", StringComparison.Ordinal),
                $"kubectl needs a reachable cluster to read a manifest, even with --dry-run=client: {error.Trim()}");
            Assert.True(process.ExitCode == 0, error);
            Assert.Contains("\"completionMode\": \"Indexed\"", output.Result);
        }
    }
}
