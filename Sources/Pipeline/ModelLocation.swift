import Engine

/// Where the pretrained weights live: $FILMSR_MODELS, else assets/models (see AssetLocation).
public enum ModelLocation {
    public static var defaultDirectory: String {
        AssetLocation.find("assets/models", environmentVariable: "FILMSR_MODELS")
    }
}
