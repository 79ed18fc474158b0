autocmd BufRead,BufNewFile *.mmx setfiletype mmx
