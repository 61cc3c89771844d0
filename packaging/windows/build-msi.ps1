# Build dist\youthwork-<version>.msi from the PyInstaller folder dist\youthwork (packaging/build.sh makes it).
# Needs the WiX Toolset 5 as a .NET tool: dotnet tool install --global wix --version 5.*
# Signing: set YOUTHWORK_SIGN_CERT (a .pfx path) and YOUTHWORK_SIGN_PASSWORD to sign the MSI with signtool.
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..\..")

$version = (Select-String -Path pyproject.toml -Pattern '^version = "(.+)"').Matches[0].Groups[1].Value
$bundle = Resolve-Path "dist\youthwork"
if (-not (Test-Path "$bundle\youthwork-window.exe")) { throw "Build the bundle first: bash packaging/build.sh" }

if (-not (Get-Command wix -ErrorAction SilentlyContinue)) {
  dotnet tool install --global wix --version "5.*"
  $env:PATH += ";$env:USERPROFILE\.dotnet\tools"
}
# The .ico comes from the PNGs we ship (Pillow is PyInstaller's own dependency).
python -c "from PIL import Image; Image.open('resources/icons/app/youthwork-256.png').save('dist/youthwork.ico', sizes=[(16,16),(32,32),(48,48),(256,256)])"

$msi = "dist\youthwork-$version.msi"
wix build packaging\windows\youthwork.wxs -arch x64 -d Version=$version -d BundleDir=$bundle `
  -d IconFile=dist\youthwork.ico -o $msi
if ($env:YOUTHWORK_SIGN_CERT) {
  signtool sign /fd SHA256 /tr http://timestamp.digicert.com /td SHA256 /f $env:YOUTHWORK_SIGN_CERT `
    /p $env:YOUTHWORK_SIGN_PASSWORD $msi
}
Write-Output "Built $msi"
