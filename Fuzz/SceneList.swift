@testable import Pipeline
import Foundation

/// The work folder's scenes.json, and what restore asks of a list it read: each scene's last frame
/// and the scene of a frame.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzSceneList(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = fuzzInput(bytes, count)
    expectReadOrOneLineError(files: "scenes.json") {
        let list = try SceneList.read(json: data, file: "scenes.json")
        for scene in list.scenes { _ = list.scene(containing: scene.lastFrame) }
    }
    return 0
}
