<#
.SYNOPSIS
Saves what `pim-notify import graph` reads into a tenant folder (the layout of DESIGN §9),
with every page.

.DESCRIPTION
Writes two files into -Folder:
  roleManagementPolicyAssignments.json   the directory-role policies with their rules
  roleDefinitions.json                   role names, for --role-definitions

Each file is a JSON list of the pages of one request, in order; every page but the last has
the @odata.nextLink that was followed, so `import graph` can tell the list is complete. A file
is written only when all its pages arrived (a temporary file, then a rename), as UTF-8.

The pages are saved as Graph sent them (Invoke-MgGraphRequest -OutputType Json). Do not pipe
Graph objects through ConvertTo-Json: it writes anything nested deeper than -Depth (2 unless
given) as the text "System.Collections.Hashtable", and Graph's rules sit ten levels deep.
The Graph SDK cmdlets (Get-MgPolicyRoleManagementPolicyAssignment) are no substitute either:
they move rule fields into AdditionalProperties.

Works in Windows PowerShell 5.1 and PowerShell 7 with the Microsoft.Graph.Authentication module.

.EXAMPLE
Connect-MgGraph -Scopes RoleManagementPolicy.Read.Directory, RoleManagement.Read.Directory
./save-tenant.ps1 -Folder tenant
pim-notify import graph tenant/roleManagementPolicyAssignments.json --role-definitions tenant/roleDefinitions.json -o tenant.yaml
#>
param(
    [Parameter(Mandatory = $true)][string]$Folder,
    # Another cloud, e.g. https://graph.microsoft.us
    [string]$GraphUrl = 'https://graph.microsoft.com'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3

# GETs $Uri, then each @odata.nextLink until there is none, and writes the pages as one JSON
# list to $Path.
function Save-GraphPages {
    param([Parameter(Mandatory = $true)][string]$Uri, [Parameter(Mandatory = $true)][string]$Path)
    $pages = New-Object System.Collections.Generic.List[string]
    while ($Uri) {
        $json = Invoke-MgGraphRequest -Method GET -Uri $Uri -OutputType Json
        $pages.Add($json)
        $page = $json | ConvertFrom-Json
        $next = $page.PSObject.Properties['@odata.nextLink']
        $Uri = if ($next) { $next.Value } else { $null }
    }
    $partial = "$Path.partial"
    $utf8 = New-Object System.Text.UTF8Encoding($false)
    [System.IO.File]::WriteAllText($partial, '[' + ($pages -join ',') + ']', $utf8)
    Move-Item -LiteralPath $partial -Destination $Path -Force
    Write-Host "saved $Path ($($pages.Count) page(s))"
}

if (-not (Get-MgContext)) {
    throw 'Not signed in: run Connect-MgGraph -Scopes RoleManagementPolicy.Read.Directory, RoleManagement.Read.Directory'
}
New-Item -ItemType Directory -Force -Path $Folder | Out-Null
# .NET resolves relative paths against the process's folder, not PowerShell's: use full paths.
$dir = (Resolve-Path -LiteralPath $Folder).ProviderPath
$graph = "$GraphUrl/v1.0"

Save-GraphPages -Uri "$graph/policies/roleManagementPolicyAssignments?`$filter=scopeId eq '/' and scopeType eq 'DirectoryRole'&`$expand=policy(`$expand=rules)" `
    -Path (Join-Path $dir 'roleManagementPolicyAssignments.json')
Save-GraphPages -Uri "$graph/roleManagement/directory/roleDefinitions" -Path (Join-Path $dir 'roleDefinitions.json')
