namespace PypiLocal.Protocol.Filenames;

public enum DistributionKind
{
    Wheel,
    Sdist,
}
