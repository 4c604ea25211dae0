// Training seeds TorchSharp's one global random generator step by step (dropout draws from it); tests running
// side by side would draw from it in between and make runs that should match differ.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
