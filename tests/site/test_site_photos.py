"""Photos: orientation applied, pixels only (no metadata), widths, cache, bombs refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, PngImagePlugin

from generator.site import photos as photo_module
from generator.site.photos import place_photos, prepare_photos, target_widths

SECRET_COMMENT = "拍摄地点 某某厂区 秘密注释"


def sideways_jpeg(path: Path, size=(1000, 800)) -> Path:
    """Stored 1000×800 but tagged orientation 6 (rotate 90° clockwise to view): upright it is 800×1000."""
    image = Image.new("RGB", size, (200, 30, 30))
    image.paste((30, 30, 200), (0, 0, size[0] // 2, size[1]))  # left half blue when stored
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation
    exif[0x010F] = "SampleCam"
    gps = exif.get_ifd(0x8825)
    gps[2] = (34.0, 15.0, 30.0)
    gps[4] = (108.0, 56.0, 10.0)
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:creator>photographer-private</dc:creator></x:xmpmeta>'
    image.save(path, "JPEG", exif=exif, comment=SECRET_COMMENT.encode(), xmp=xmp, quality=90)
    return path


def png_with_text(path: Path) -> Path:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", SECRET_COMMENT)
    info.add_itxt("Description", "私密说明文字")
    Image.new("RGBA", (400, 300), (10, 200, 10, 128)).save(path, "PNG", pnginfo=info)
    return path


def assert_pixels_only(path: Path) -> None:
    data = path.read_bytes()
    with Image.open(path) as image:
        assert len(image.getexif()) == 0, path
        for key in ("exif", "xmp", "XML:com.adobe.xmp", "icc_profile", "comment"):
            assert not image.info.get(key), (path, key)
    assert SECRET_COMMENT.encode() not in data
    assert b"photographer-private" not in data and b"SampleCam" not in data
    assert b"Exif\x00\x00" not in data


def test_orientation_applied_and_metadata_stripped(tmp_path: Path):
    root = tmp_path / "photos"
    root.mkdir()
    sideways_jpeg(root / "a.jpg")
    result = prepare_photos(root, {"a.jpg"}, tmp_path / "cache", jobs=1)
    assert not result.problems
    out = tmp_path / "site" / "photos"
    place_photos(result.photos.values(), tmp_path / "cache", out, result.originals)
    photo = result.photos["a.jpg"]
    assert [v.width for v in photo.variants] == [160, 320, 640]
    for variant in photo.variants:
        for name in (variant.webp, variant.jpeg):
            with Image.open(out / name) as image:
                assert image.size == (variant.width, variant.height)
                assert image.height > image.width  # upright: portrait
                # the stored left half (blue) is the top after rotating 90° clockwise
                top = image.convert("RGB").getpixel((image.width // 2, 5))
                bottom = image.convert("RGB").getpixel((image.width // 2, image.height - 5))
                assert top[2] > top[0] and bottom[0] > bottom[2]
            assert_pixels_only(out / name)
    assert {p.name for p in out.iterdir()} == set(photo.files())  # the original is never copied


def test_png_text_chunks_and_alpha(tmp_path: Path):
    root = tmp_path / "photos"
    root.mkdir()
    png_with_text(root / "b.png")
    result = prepare_photos(root, {"b.png"}, tmp_path / "cache", jobs=1)
    photo = result.photos["b.png"]
    assert [v.width for v in photo.variants] == [160, 320, 400]  # never wider than the original
    place_photos(result.photos.values(), tmp_path / "cache", tmp_path / "out", result.originals)
    for name in photo.files():
        assert_pixels_only(tmp_path / "out" / name)
        assert "私密说明文字".encode() not in (tmp_path / "out" / name).read_bytes()


def test_sample_photo_from_records_is_cleaned(tmp_path: Path):
    """records/photos/zhang-jianguo.jpg carries orientation 6, GPS, XMP and a comment."""
    source = Path(__file__).resolve().parents[2] / "records" / "photos" / "zhang-jianguo.jpg"
    if not source.exists():
        pytest.skip("sample photo not present")
    with Image.open(source) as original:
        assert original.getexif().get(0x0112) == 6
        stored = original.size
    result = prepare_photos(source.parent, {source.name}, tmp_path / "cache", jobs=1)
    largest = result.photos[source.name].largest
    assert (largest.width > largest.height) != (stored[0] > stored[1])  # rotated
    place_photos(result.photos.values(), tmp_path / "cache", tmp_path / "out", result.originals)
    for name in result.photos[source.name].files():
        assert_pixels_only(tmp_path / "out" / name)


def test_cache_reused_on_rebuild(tmp_path: Path):
    root = tmp_path / "photos"
    root.mkdir()
    sideways_jpeg(root / "a.jpg")
    first = prepare_photos(root, {"a.jpg"}, tmp_path / "cache", jobs=1)
    again = prepare_photos(root, {"a.jpg"}, tmp_path / "cache", jobs=1)
    assert first.encoded == 1 and again.encoded == 0
    assert first.photos == again.photos


def test_decompression_bomb_refused_with_message(tmp_path: Path, monkeypatch):
    root = tmp_path / "photos"
    root.mkdir()
    Image.new("L", (3000, 3000)).save(root / "bomb.png", "PNG", optimize=True)
    monkeypatch.setattr(photo_module, "MAX_PIXELS", 1_000_000)
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1_000_000)
    result = prepare_photos(root, {"bomb.png"}, tmp_path / "cache", jobs=1)
    assert "bomb.png" in result.problems
    assert "炸弹" in result.problems["bomb.png"]
    assert not result.photos


def test_broken_file_is_a_message_not_a_crash(tmp_path: Path):
    root = tmp_path / "photos"
    root.mkdir()
    (root / "bad.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg" + bytes(100))
    result = prepare_photos(root, {"bad.jpg"}, tmp_path / "cache", jobs=1)
    assert "bad.jpg" in result.problems


def test_target_widths():
    assert target_widths(2000) == [160, 320, 640]
    assert target_widths(500) == [160, 320, 500]
    assert target_widths(160) == [160]


def test_digests_of_photos_that_are_gone_are_forgotten(tmp_path: Path) -> None:
    from generator.site.photos import DigestCache

    kept, gone = tmp_path / "kept.jpg", tmp_path / "gone.jpg"
    for path in (kept, gone):
        path.write_bytes(b"photo " + path.name.encode())
    cache = DigestCache(tmp_path / "cache")
    cache.digest(kept)
    cache.digest(gone)
    cache.save()
    gone.unlink()
    later = DigestCache(tmp_path / "cache")  # a build that uses neither photo
    later.changed = False
    later.save()
    assert set(DigestCache(tmp_path / "cache").entries) == {str(kept)}
