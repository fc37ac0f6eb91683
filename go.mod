module github.com/dendritic/dendritic

go 1.26
