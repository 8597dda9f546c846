/// The one place the version lives: `swiftlet version` and the registry User-Agent.
public enum SwiftletVersion {
    public static let string = "0.1.0"
}
