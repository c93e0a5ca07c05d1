module github.com/hospitable-hook/hospitable-hook

go 1.26
