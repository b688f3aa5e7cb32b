using System.CommandLine;
using NfmGen.Cli.Commands;
using NfmGen.Cli.Sweeps;
using NfmGen.Cli.Sweeps.Commands;
using NfmGen.Training;

namespace NfmGen.Cli.Sweeps.Kubernetes;

/// <summary><c>nfm sweep k8s</c>: writes a Kubernetes Indexed Job that runs the sweep, one pod per task.</summary>
internal static class SweepKubernetesCommand
{
    public static Command Create()
    {
        var folder = SweepCommand.FolderArgument();
        var image = new Option<string>("--image") { Description = "The container image whose entrypoint is nfm (built with 'dotnet publish' and docker/Dockerfile; see docs/sweeps.md).", Required = true };
        var claim = new Option<string?>("--pvc") { Description = "The persistent volume claim that holds the sweep folder, sweep.json at its root (default: the Job's name)." };
        var gpus = new Option<int>("--gpus") { Description = "GPUs per pod (nvidia.com/gpu limit); 0 for none.", DefaultValueFactory = _ => 0 }.AtLeast(0);
        var parallelism = new Option<int?>("--parallelism") { Description = "Pods that run at once (default: every task at once)." };
        var mount = new Option<string>("--mount") { Description = "Where the claim is mounted in each pod; the pods run 'nfm sweep run' on it.", DefaultValueFactory = _ => "/sweep" };
        var all = new Option<bool>("--all") { Description = "A pod for every task (default: only the tasks not done and not running, as 'nfm sweep status' shows them)." };
        var command = new Command("k8s", "Write DIR/k8s/job.yaml, a Kubernetes Indexed Job: one completion per task, the sweep folder on a persistent volume, "
            + $"a {KubernetesJob.GracePeriodSeconds} s grace period to checkpoint on SIGTERM, preemption not counted as a failure, {KubernetesJob.RetriesPerIndex} retries per task.")
        {
            folder, image, claim, gpus, parallelism, mount, all,
        };
        command.SetAction(result => CommandErrors.Run(() =>
        {
            var sweep = SweepFolder.Open(result.GetValue(folder)!);
            SweepArguments.Validate(sweep.Definition); // a hand-written file is checked before any job is written
            var mountPath = result.GetValue(mount)!;
            if (!mountPath.StartsWith('/') || mountPath.Length < 2)
                throw new ArgumentException($"--mount must be an absolute path in the pod other than / (was '{mountPath}')");
            var tasks = sweep.Definition.TaskCount;
            var (unfinished, why) = result.GetValue(all) ? ([.. Enumerable.Range(0, tasks)], "every task, as --all asks") : SweepStatus.Read(sweep).Unfinished();
            if (unfinished.Count == 0)
            {
                Console.WriteLine($"Nothing to run: {why}. 'nfm sweep status' shows each task; --all writes a pod for every one.");
                return 0;
            }
            var pods = result.GetValue(parallelism) ?? unfinished.Count;
            if (pods < 1)
                throw new ArgumentException($"--parallelism must be >= 1 (was {pods})");
            if (string.IsNullOrWhiteSpace(result.GetValue(image)))
                throw new ArgumentException("--image must name a container image");
            var subset = unfinished.Count == tasks ? null : unfinished;
            var name = subset is null ? KubernetesJob.NameFor(sweep.Path) : KubernetesJob.NameFor(sweep.Path, subset);
            var job = new KubernetesJob(name, tasks, result.GetValue(image)!.Trim(), result.GetValue(claim) ?? name, mountPath.TrimEnd('/'), Math.Min(pods, unfinished.Count), result.GetValue(gpus),
                subset);

            var path = Path.Combine(sweep.Path, "k8s", "job.yaml");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            AtomicFile.WriteText(path, job.ToYaml());
            Console.WriteLine($"Wrote {path}: Job {job.Name}, tasks {IndexRanges.Format(unfinished)} ({why}), {job.Parallelism} at a time, claim {job.Claim} at {job.MountPath}.");
            if (job.Only is not null)
                Console.WriteLine("Tasks recorded as running are left out (their pods may still run them); a pod that died without a word leaves its task 'running': then give --all.");
            foreach (var outside in KubernetesJob.PathsOutside(sweep.Definition, job.MountPath))
                Console.WriteLine($"Note: sweep.json gives {outside}, outside {job.MountPath}: each pod must find it at that path (in the image or on another volume).");
            Console.WriteLine($"Copy {sweep.Path}'s content to the root of the claim, then: kubectl apply -f {path}");
            return 0;
        }));
        return command;
    }
}
