// KubeAPI: Kubernetes API types and machinery shared by the kubelet, the API server and
// the clients — JSON/YAML codecs, Quantity, IntOrString, object metadata, the core/v1
// types, defaulting and validation with upstream's field paths and messages. It knows
// nothing of the runtime or the store (DESIGN.md: dependency direction).
